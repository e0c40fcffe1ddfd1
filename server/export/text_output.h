#pragma once
// What every text export writer shares: a write error named by its file, and times as
// seconds to the millisecond (a clip's edges need no finer).
#include "export/export_writers.h"

#include <cstdio>
#include <filesystem>
#include <ostream>
#include <string>

namespace lodestone::exporting {

inline void check_written(std::ostream& out, const std::filesystem::path& path) {
  if (!out.flush()) throw ExportError("cannot write " + path.string() + " (disk full or not writable?)");
}

inline std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", seconds);
  return text;
}

}  // namespace lodestone::exporting
