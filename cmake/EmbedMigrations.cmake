# Writes a C++ source that returns every migrations/NNNN_name.sql as text, so the
# server carries its schema with it. Run at build time whenever a migration changes.
#   -DMIGRATIONS_DIR=... -DOUTPUT=...
file(GLOB sql_files "${MIGRATIONS_DIR}/*.sql")
list(SORT sql_files)
set(body "")
foreach(file IN LISTS sql_files)
  get_filename_component(stem "${file}" NAME_WE)
  string(REGEX MATCH "^([0-9]+)_(.+)$" _ "${stem}")
  if(NOT CMAKE_MATCH_1)
    message(FATAL_ERROR "migration ${file} is not named NNNN_name.sql")
  endif()
  math(EXPR version "${CMAKE_MATCH_1}")
  file(READ "${file}" sql)
  string(APPEND body "      {${version}, \"${CMAKE_MATCH_2}\", R\"lodestone_sql(${sql})lodestone_sql\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp" "// Generated from migrations/ by cmake/EmbedMigrations.cmake. Do not edit.
#include \"store/migrations.h\"

namespace lodestone::store {

std::vector<Migration> bundled_migrations() {
  return {
${body}  };
}

}  // namespace lodestone::store
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
