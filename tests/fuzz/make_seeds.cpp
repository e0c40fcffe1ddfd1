// Writes the seed corpora under tests/fuzz/corpus/<target>/: one valid encoding of every
// message, keyframes and deltas, small IDX files (plain and gzip) and small PNG/JPEG
// images, short FLAC clips, Opus voice frames. Run by hand after a protocol or codec change:  fuzz_make_seeds tests/fuzz/corpus
#include "audio/clip_codec.h"
#include "audio/voice_codec.h"
#include "lodestone/envelope.h"
#include "lodestone/point_codec.h"

#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using lodestone::Bytes;

namespace {

void write(const fs::path& path, const Bytes& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

Bytes gzip(const Bytes& plain) {
  z_stream z{};
  deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  Bytes out(deflateBound(&z, static_cast<uLong>(plain.size())) + 32);
  z.next_in = const_cast<Bytef*>(plain.data());
  z.avail_in = static_cast<uInt>(plain.size());
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

void message_seeds(const fs::path& corpus) {
  std::size_t index = 0;
#define LODESTONE_SEED(name, id, max)                                              \
  {                                                                                \
    const Bytes envelope = lodestone::encode(lodestone::name{});                   \
    write(corpus / "envelope" / #name, envelope);                                  \
    Bytes payload{static_cast<std::uint8_t>(index)};                               \
    payload.insert(payload.end(), envelope.begin() + lodestone::kEnvelopeHeaderSize, \
                   envelope.end());                                                \
    write(corpus / "messages" / #name, payload);                                   \
    ++index;                                                                       \
  }
  LODESTONE_MESSAGES(LODESTONE_SEED)
#undef LODESTONE_SEED
}

void codec_seeds(const fs::path& corpus) {
  lodestone::QuantisedCloud cloud{{{-1, -1, -1}, {1, 1, 1}}, {}};
  for (std::uint16_t v = 0; v < 30; ++v) cloud.xyz.push_back(static_cast<std::uint16_t>(v * 2000));
  write(corpus / "point_codec" / "keyframe", lodestone::encode_keyframe(cloud));
  auto moved = cloud;
  moved.xyz[4] = 7;
  write(corpus / "point_codec" / "delta", lodestone::encode_delta(cloud, moved));
  write(corpus / "point_codec" / "empty", lodestone::encode_keyframe({cloud.box, {}}));
}

Bytes idx(std::vector<std::uint32_t> dims, std::size_t data_bytes) {
  Bytes out{0, 0, 0x08, static_cast<std::uint8_t>(dims.size())};
  for (auto d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(d >> shift));
  }
  for (std::size_t i = 0; i < data_bytes; ++i) out.push_back(static_cast<std::uint8_t>(i * 37));
  return out;
}

void idx_seeds(const fs::path& corpus) {
  // fuzz_idx: byte 0 odd = with labels, byte 1 = where the images end.
  const Bytes images = idx({2, 3, 3}, 18), labels = idx({2}, 2);
  Bytes alone{0, 0};
  alone.insert(alone.end(), images.begin(), images.end());
  write(corpus / "idx" / "images", alone);
  Bytes both{1, static_cast<std::uint8_t>(images.size())};
  both.insert(both.end(), images.begin(), images.end());
  both.insert(both.end(), labels.begin(), labels.end());
  write(corpus / "idx" / "images_labels", both);
  const Bytes packed = gzip(images);
  Bytes gz{0, 0};
  gz.insert(gz.end(), packed.begin(), packed.end());
  write(corpus / "idx" / "images_gzip", gz);
}

void append(void* context, void* data, int size) {
  auto* out = static_cast<Bytes*>(context);
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  out->insert(out->end(), bytes, bytes + size);
}

void image_seeds(const fs::path& corpus) {
  for (int channels : {1, 3, 4}) {
    Bytes pixels(static_cast<std::size_t>(8 * 6 * channels));
    for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::uint8_t>(i * 11);
    Bytes png, jpg;
    stbi_write_png_to_func(append, &png, 8, 6, channels, pixels.data(), 8 * channels);
    stbi_write_jpg_to_func(append, &jpg, 8, 6, channels, pixels.data(), 80);
    write(corpus / "image" / ("png_" + std::to_string(channels)), png);
    write(corpus / "image" / ("jpg_" + std::to_string(channels)), jpg);
  }
}

}  // namespace

// Short FLAC clips, as ClipData carries them (the WAV seeds come from the audio corpus).
void clip_seeds(const fs::path& corpus) {
  for (const int rate : {8000, 16000}) {
    lodestone::audio::MonoClip clip{rate, std::vector<float>(static_cast<std::size_t>(rate / 20))};
    for (std::size_t i = 0; i < clip.samples.size(); ++i) clip.samples[i] = static_cast<float>(i % 40) / 40.0f - 0.5f;
    const auto flac = lodestone::audio::encode_flac(clip);
    if (flac) write(corpus / "clip" / ("short_" + std::to_string(rate) + ".flac"), *flac);
  }
}

// Opus voice frames of a tone and of silence, as VoiceFrame carries them.
void voice_seeds(const fs::path& corpus) {
  lodestone::audio::VoiceEncoder encoder(16000);
  std::vector<float> frame(static_cast<std::size_t>(encoder.frame_samples()));
  for (std::size_t i = 0; i < frame.size(); ++i) frame[i] = 0.4f * static_cast<float>((i % 32) < 16 ? 1 : -1);
  if (auto tone = encoder.encode(frame)) write(corpus / "voice" / "square_16k", *tone);
  std::fill(frame.begin(), frame.end(), 0.0f);
  if (auto silence = encoder.encode(frame)) write(corpus / "voice" / "silence_16k", *silence);
}

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <corpus folder>\n", argv[0]);
    return 2;
  }
  const fs::path corpus = argv[1];
  message_seeds(corpus);
  codec_seeds(corpus);
  idx_seeds(corpus);
  image_seeds(corpus);
  clip_seeds(corpus);
  voice_seeds(corpus);
  return 0;
}
