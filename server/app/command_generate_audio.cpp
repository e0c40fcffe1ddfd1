#include "app/commands.h"
#include "audio/synthetic_calls.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <stdexcept>

namespace lodestone::server {

// A dataset of sounds to try the audio path on, with classes known: the tests, the
// quality bar and `deploy/run.sh --audio` use it.
int command_generate_audio(const Args& args) {
  const auto& pos = args.positionals();
  if (pos.size() < 2) throw UsageError("generate-audio needs the folder to write");
  const std::filesystem::path folder = pos[1];
  if (std::filesystem::exists(folder)) throw UsageError(folder.string() + " exists; give a new folder");
  audio::CallsOptions options;
  const double per_class = args.number_or("per-class", options.per_class);
  const double minutes = args.number_or("field-minutes", 0);
  const double seed = args.number_or("seed", 1);
  if (per_class < 1 || per_class > 100000 || per_class != std::floor(per_class)) {
    throw UsageError("--per-class must be a whole number from 1 to 100000");
  }
  if (minutes < 0 || minutes > 24 * 60) throw UsageError("--field-minutes must lie between 0 and 1440");
  if (seed < 0 || seed != std::floor(seed)) throw UsageError("--seed must be a whole number ≥ 0");
  options.per_class = static_cast<int>(per_class);
  options.field_minutes = minutes;
  options.seed = static_cast<std::uint64_t>(seed);
  options.format = args.option("audio-format").value_or("wav");
  if (options.format != "wav" && options.format != "flac") throw UsageError("--audio-format must be wav or flac");
  try {
    audio::write_calls(folder, options);
  } catch (const std::runtime_error& e) {
    spdlog::error("generate-audio: {}", e.what());
    return 1;
  }
  spdlog::info("wrote {} clips of {} kinds{} to {}", static_cast<std::size_t>(options.per_class) * audio::call_kinds().size(),
               audio::call_kinds().size(), minutes > 0 ? " and a field recording" : "", folder.string());
  return 0;
}

}  // namespace lodestone::server
