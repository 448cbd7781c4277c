# Writes IN (a text file) into OUT as a C++ raw string: ix::adapters::lifecare::EmbeddedMapping().
file(READ ${IN} text)
file(WRITE ${OUT} "// Generated from ${IN}; do not edit.\n#include <string_view>\nnamespace ix::adapters::lifecare {\nstd::string_view EmbeddedMapping() {\n  return R\"ixmap(${text})ixmap\";\n}\n}  // namespace ix::adapters::lifecare\n")
