# ix_proto_library(NAME <target> MODE full|lite|grpc PROTOS <files...> [DEPENDS <targets>])
#
# Generates C++ from .proto files under ${IX_PROTO_ROOT} and builds a static (PIC) library.
#   full: the normal runtime with descriptors (JSON mapping, reflection) for hosts and tools.
#   lite: `protoc --cpp_out=lite:` — no descriptors are registered, so the plugin can carry its
#         own copy of the canonical types while the host links the full ones in the same
#         process (the "File already exists in database" trap, docs/design-lessons.md).
#   grpc: full messages plus the gRPC service stubs.
set(IX_PROTO_ROOT "${CMAKE_SOURCE_DIR}/proto")

function(ix_proto_library)
  cmake_parse_arguments(ARG "" "NAME;MODE" "PROTOS;DEPENDS" ${ARGN})
  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/${ARG_NAME}")
  file(MAKE_DIRECTORY "${out_dir}")
  set(sources)
  set(cpp_out "${out_dir}")
  if(ARG_MODE STREQUAL "lite")
    set(cpp_out "lite:${out_dir}")
  endif()
  foreach(proto IN LISTS ARG_PROTOS)
    get_filename_component(abs "${proto}" ABSOLUTE)
    file(RELATIVE_PATH rel "${IX_PROTO_ROOT}" "${abs}")
    string(REGEX REPLACE "\\.proto$" "" stem "${rel}")
    set(outs "${out_dir}/${stem}.pb.cc" "${out_dir}/${stem}.pb.h")
    set(extra_args)
    if(ARG_MODE STREQUAL "grpc")
      list(APPEND outs "${out_dir}/${stem}.grpc.pb.cc" "${out_dir}/${stem}.grpc.pb.h")
      set(extra_args --grpc_out=${out_dir}
                     --plugin=protoc-gen-grpc=$<TARGET_FILE:gRPC::grpc_cpp_plugin>)
    endif()
    add_custom_command(
      OUTPUT ${outs}
      COMMAND protobuf::protoc --proto_path=${IX_PROTO_ROOT} --cpp_out=${cpp_out} ${extra_args} ${abs}
      DEPENDS "${abs}" protobuf::protoc
      COMMENT "protoc (${ARG_MODE}) ${rel}"
      VERBATIM)
    list(APPEND sources ${outs})
  endforeach()
  add_library(${ARG_NAME} STATIC ${sources})
  if(ARG_MODE STREQUAL "grpc")
    # gRPC's generated service templates (WithRawCallbackMethod_*) hide the overloads of their
    # base class: clang's -Wall warns (-Woverloaded-virtual) in every file that includes them.
    # Generated code is not ours to fix, so its headers are system headers for their users.
    target_include_directories(${ARG_NAME} SYSTEM PUBLIC "$<BUILD_INTERFACE:${out_dir}>")
  else()
    target_include_directories(${ARG_NAME} PUBLIC "$<BUILD_INTERFACE:${out_dir}>")
  endif()
  # protoc's output: see IX_GENERATED_CODE_OPTIONS (cmake/IxCompilerOptions.cmake).
  target_compile_options(${ARG_NAME} PRIVATE ${IX_GENERATED_CODE_OPTIONS})
  if(ARG_MODE STREQUAL "lite")
    target_link_libraries(${ARG_NAME} PUBLIC protobuf::libprotobuf-lite)
  elseif(ARG_MODE STREQUAL "grpc")
    target_link_libraries(${ARG_NAME} PUBLIC protobuf::libprotobuf gRPC::grpc++)
  else()
    target_link_libraries(${ARG_NAME} PUBLIC protobuf::libprotobuf)
  endif()
  if(ARG_DEPENDS)
    target_link_libraries(${ARG_NAME} PUBLIC ${ARG_DEPENDS})
  endif()
endfunction()
