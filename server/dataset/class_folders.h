#pragma once
// The layout image and sound folders share: files directly in the folder have no class,
// files in a sub-folder take its name as their class.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace lodestone::dataset {

struct ClassedFile {
  std::filesystem::path path;
  std::optional<std::string> class_name;
};

// Files under `folder` (one level of sub-folders) whose extension, in lower case, is one
// of `extensions` (".png"), sorted by path.
std::vector<ClassedFile> find_class_files(const std::filesystem::path& folder,
                                          const std::vector<std::string>& extensions);

}  // namespace lodestone::dataset
