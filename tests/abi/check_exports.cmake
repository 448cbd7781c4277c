# Fails unless `nm -D --defined-only PLUGIN` lists exactly one symbol: ix_plugin_entry_v1.
execute_process(COMMAND nm -D --defined-only ${PLUGIN}
  OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm failed on ${PLUGIN}")
endif()
string(STRIP "${out}" out)
string(REPLACE "\n" ";" lines "${out}")
list(LENGTH lines count)
message(STATUS "exported: ${out}")
if(NOT count EQUAL 1 OR NOT out MATCHES " T ix_plugin_entry_v1$")
  message(FATAL_ERROR "expected exactly one exported symbol 'ix_plugin_entry_v1', found ${count}:\n${out}")
endif()
