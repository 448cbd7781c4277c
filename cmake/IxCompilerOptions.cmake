# Warnings and sanitizers for the project's own targets. Generated code (protobuf, gRPC)
# is compiled through ix_target_defaults too, so it must stay warning-clean at this level.
add_library(ix_compile_options INTERFACE)
target_compile_options(ix_compile_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor
  $<$<BOOL:${IX_WERROR}>:-Werror>)

if(IX_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
