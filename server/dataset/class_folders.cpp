#include "dataset/class_folders.h"

#include <algorithm>
#include <cctype>

namespace lodestone::dataset {

std::vector<ClassedFile> find_class_files(const std::filesystem::path& folder,
                                          const std::vector<std::string>& extensions) {
  const auto wanted = [&](const std::filesystem::directory_entry& entry) {
    if (!entry.is_regular_file()) return false;
    std::string ext = entry.path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return std::find(extensions.begin(), extensions.end(), ext) != extensions.end();
  };
  std::vector<ClassedFile> found;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (wanted(entry)) {
      found.push_back({entry.path(), std::nullopt});
    } else if (entry.is_directory()) {
      for (const auto& inner : std::filesystem::directory_iterator(entry.path())) {
        if (wanted(inner)) found.push_back({inner.path(), entry.path().filename().string()});
      }
    }
  }
  std::sort(found.begin(), found.end(), [](const ClassedFile& a, const ClassedFile& b) { return a.path < b.path; });
  return found;
}

}  // namespace lodestone::dataset
