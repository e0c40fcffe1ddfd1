#include "app/csv_rows.h"

#include <csv.h>

#include <fstream>
#include <memory>

namespace lodestone::server {
namespace {

struct Collector {
  std::vector<CsvRow> rows;
  CsvRow current;
  std::size_t line = 1;        // the line the parser is on
  std::size_t row_start = 1;   // the line the current row began on
};

void on_field(void* text, std::size_t length, void* data) {
  auto& c = *static_cast<Collector*>(data);
  if (c.current.fields.empty()) c.current.line = c.row_start;
  c.current.fields.emplace_back(static_cast<const char*>(text), length);
}

void on_row_end(int /*terminator*/, void* data) {
  auto& c = *static_cast<Collector*>(data);
  if (!c.current.fields.empty()) c.rows.push_back(std::move(c.current));
  c.current = {};
}

}  // namespace

Result<std::vector<CsvRow>, CsvError> read_csv_rows(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return CsvError{"cannot open " + path.string()};
  csv_parser parser{};
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
    return CsvError{"cannot start the CSV parser"};
  }
  const std::unique_ptr<csv_parser, void (*)(csv_parser*)> owned(&parser, csv_free);
  Collector collected;
  std::string line;
  // Line by line, so an error can name its line; the parser keeps a quoted field open
  // across line breaks.
  while (std::getline(in, line)) {
    line.push_back('\n');
    const bool at_row_start = collected.current.fields.empty();
    if (at_row_start) collected.row_start = collected.line;
    if (csv_parse(&parser, line.data(), line.size(), on_field, on_row_end, &collected) != line.size()) {
      return CsvError{path.string() + ":" + std::to_string(collected.line) + ": " + csv_strerror(csv_error(&parser))};
    }
    ++collected.line;
  }
  if (in.bad()) return CsvError{"cannot read " + path.string()};
  if (csv_fini(&parser, on_field, on_row_end, &collected) != 0) {
    return CsvError{path.string() + ":" + std::to_string(collected.line - 1) + ": " +
                    csv_strerror(csv_error(&parser)) + " (a quoted field is never closed)"};
  }
  return std::move(collected.rows);
}

}  // namespace lodestone::server
