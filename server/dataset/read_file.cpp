#include "dataset/read_file.h"

#include <zlib.h>

namespace lodestone::dataset {

// zlib's gz* functions read gzip and plain files alike, and report a gzip stream that
// ends early as an error rather than as a short file.
Result<std::vector<std::uint8_t>, ImportError> read_file_bytes(const std::filesystem::path& path) {
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) return ImportError{path.string() + ": cannot open the file"};
  std::vector<std::uint8_t> bytes;
  std::uint8_t chunk[1 << 16];
  for (;;) {
    const int n = gzread(file, chunk, sizeof chunk);
    if (n < 0) {
      int code = 0;
      std::string reason = gzerror(file, &code);
      gzclose(file);
      return ImportError{path.string() + ": corrupt or truncated compressed data after " +
                         std::to_string(bytes.size()) + " bytes (" + reason + ")"};
    }
    if (n == 0) break;
    bytes.insert(bytes.end(), chunk, chunk + n);
  }
  // gzread reports a gzip stream cut short only through gzerror at the end.
  int code = 0;
  const char* reason = gzerror(file, &code);
  if (code != Z_OK && code != Z_STREAM_END) {
    std::string text = reason;
    gzclose(file);
    return ImportError{path.string() + ": corrupt or truncated compressed data after " +
                       std::to_string(bytes.size()) + " bytes (" + text + ")"};
  }
  gzclose(file);
  return bytes;
}

}  // namespace lodestone::dataset
