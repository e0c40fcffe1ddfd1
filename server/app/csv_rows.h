#pragma once
// Reading CSV files (RFC 4180: quoted fields, doubled quotes, commas and line breaks
// inside quotes) through libcsv, for `label --csv`: it reads what `export --format csv`
// writes.
#include "lodestone/result.h"

#include <filesystem>
#include <string>
#include <vector>

namespace lodestone::server {

struct CsvRow {
  std::size_t line = 0;  // where the row starts in the file, from 1
  std::vector<std::string> fields;
};

struct CsvError {
  std::string message;  // names the file and, where it can, the line
};

Result<std::vector<CsvRow>, CsvError> read_csv_rows(const std::filesystem::path& path);

}  // namespace lodestone::server
