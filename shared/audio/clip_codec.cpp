#include "audio/clip_codec.h"

#include <sndfile.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>

namespace lodestone::audio {
namespace {

struct SndfileCloser {
  void operator()(SNDFILE* file) const { sf_close(file); }
};
using SoundFile = std::unique_ptr<SNDFILE, SndfileCloser>;

// A growable byte buffer libsndfile reads and writes through its virtual I/O.
struct MemoryFile {
  std::vector<std::uint8_t> bytes;
  sf_count_t position = 0;
};

sf_count_t memory_length(void* user) { return static_cast<sf_count_t>(static_cast<MemoryFile*>(user)->bytes.size()); }

sf_count_t memory_seek(sf_count_t offset, int whence, void* user) {
  auto* f = static_cast<MemoryFile*>(user);
  const sf_count_t base = whence == SEEK_CUR ? f->position : whence == SEEK_END ? memory_length(user) : 0;
  const sf_count_t to = base + offset;
  if (to < 0) return -1;
  f->position = to;
  return to;
}

sf_count_t memory_read(void* out, sf_count_t count, void* user) {
  auto* f = static_cast<MemoryFile*>(user);
  const sf_count_t available = std::max<sf_count_t>(0, memory_length(user) - f->position);
  const sf_count_t n = std::min(count, available);
  if (n > 0) std::memcpy(out, f->bytes.data() + f->position, static_cast<std::size_t>(n));
  f->position += n;
  return n;
}

sf_count_t memory_write(const void* in, sf_count_t count, void* user) {
  auto* f = static_cast<MemoryFile*>(user);
  const auto end = static_cast<std::size_t>(f->position + count);
  if (end > f->bytes.size()) f->bytes.resize(end);
  std::memcpy(f->bytes.data() + f->position, in, static_cast<std::size_t>(count));
  f->position += count;
  return count;
}

sf_count_t memory_tell(void* user) { return static_cast<MemoryFile*>(user)->position; }

SF_VIRTUAL_IO memory_io() { return {memory_length, memory_seek, memory_read, memory_write, memory_tell}; }

bool write_samples(SNDFILE* file, const MonoClip& clip) {
  // Clipped to full scale first: a sample past ±1 would wrap in 16 bits.
  std::vector<float> block;
  block.reserve(4096);
  for (std::size_t at = 0; at < clip.samples.size(); at += 4096) {
    const auto n = std::min<std::size_t>(4096, clip.samples.size() - at);
    block.assign(clip.samples.begin() + static_cast<std::ptrdiff_t>(at),
                 clip.samples.begin() + static_cast<std::ptrdiff_t>(at + n));
    for (auto& s : block) s = std::clamp(s, -1.0f, 1.0f);
    if (sf_writef_float(file, block.data(), static_cast<sf_count_t>(n)) != static_cast<sf_count_t>(n)) return false;
  }
  return true;
}

std::string check_clip(const MonoClip& clip) {
  if (clip.sample_rate < kMinClipRate || clip.sample_rate > kMaxClipRate) {
    return "a clip needs a rate of " + std::to_string(kMinClipRate) + " to " + std::to_string(kMaxClipRate) +
           " Hz (it has " + std::to_string(clip.sample_rate) + ")";
  }
  if (clip.samples.empty()) return "a clip needs at least one sample";
  return {};
}

}  // namespace

Result<std::vector<std::uint8_t>, std::string> encode_flac(const MonoClip& clip) {
  if (auto why = check_clip(clip); !why.empty()) return why;
  MemoryFile memory;
  auto io = memory_io();
  SF_INFO info{};
  info.samplerate = clip.sample_rate;
  info.channels = 1;
  info.format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
  {
    SoundFile file(sf_open_virtual(&io, SFM_WRITE, &info, &memory));
    if (!file) return std::string("cannot encode FLAC: ") + sf_strerror(nullptr);
    if (!write_samples(file.get(), clip)) return std::string("cannot encode FLAC: ") + sf_strerror(file.get());
  }  // closing writes the stream's header
  return std::move(memory.bytes);
}

Result<MonoClip, std::string> decode_clip(std::span<const std::uint8_t> bytes, std::size_t max_samples) {
  if (bytes.empty()) return std::string("an empty clip");
  MemoryFile memory{{bytes.begin(), bytes.end()}, 0};
  auto io = memory_io();
  SF_INFO info{};
  SoundFile file(sf_open_virtual(&io, SFM_READ, &info, &memory));
  if (!file) return std::string("not a sound clip: ") + sf_strerror(nullptr);
  if (info.samplerate < kMinClipRate || info.samplerate > kMaxClipRate || info.channels <= 0) {
    return "a clip at " + std::to_string(info.samplerate) + " Hz in " + std::to_string(info.channels) +
           " channel(s); clips are " + std::to_string(kMinClipRate) + " to " + std::to_string(kMaxClipRate) + " Hz";
  }
  if (info.frames <= 0) return std::string("a clip with no samples");
  if (static_cast<std::uint64_t>(info.frames) > max_samples) {
    return "a clip of " + std::to_string(info.frames) + " samples; at most " + std::to_string(max_samples) + " are taken";
  }
  const auto channels = static_cast<std::size_t>(info.channels);
  std::vector<float> interleaved(static_cast<std::size_t>(info.frames) * channels);
  const sf_count_t got = sf_readf_float(file.get(), interleaved.data(), info.frames);
  if (got <= 0) return std::string("a clip whose samples cannot be read: ") + sf_strerror(file.get());
  MonoClip clip{info.samplerate, std::vector<float>(static_cast<std::size_t>(got))};
  for (std::size_t f = 0; f < clip.samples.size(); ++f) {
    float sum = 0;
    for (std::size_t c = 0; c < channels; ++c) sum += interleaved[f * channels + c];
    clip.samples[f] = sum / static_cast<float>(channels);
  }
  return clip;
}

Result<MonoClip, std::string> read_sound_file(const std::filesystem::path& path, std::size_t max_samples) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return path.string() + ": cannot be read";
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto clip = decode_clip(bytes, max_samples);
  if (!clip) return path.string() + ": " + clip.error();
  return clip;
}

Result<bool, std::string> write_wav(const std::filesystem::path& path, const MonoClip& clip) {
  if (auto why = check_clip(clip); !why.empty()) return path.string() + ": " + why;
  SF_INFO info{};
  info.samplerate = clip.sample_rate;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SoundFile file(sf_open(path.c_str(), SFM_WRITE, &info));
  if (!file) return path.string() + ": cannot write: " + sf_strerror(nullptr);
  if (!write_samples(file.get(), clip)) return path.string() + ": cannot write all samples (disk full?)";
  return true;
}

}  // namespace lodestone::audio
