// One sound file in a folder, as `lodestone-server import audio` reads it: whatever
// libsndfile makes of the bytes (WAV, FLAC, OGG, AIFF, … by their signature), the
// windowing, resampling and spectrograms must refuse or succeed without crashing.
#include "dataset/readers.h"
#include "fuzz_files.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using lodestone::fuzz::scratch_folder;
  using lodestone::fuzz::write_scratch_file;
  write_scratch_file("sounds/class/one.wav", data, size);
  lodestone::dataset::AudioImportOptions options;
  options.window_seconds = 0.5;  // short windows: a small input still makes several
  options.hop_seconds = 0.25;
  options.sample_rate = 8000;  // most seeds are 16 kHz: the resampler runs
  (void)lodestone::dataset::read_audio_folder(scratch_folder() / "sounds", options);
  return 0;
}
