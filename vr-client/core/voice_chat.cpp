#include "core/voice_chat.h"

#include <algorithm>

namespace lodestone::client {
namespace {

constexpr std::int64_t kFrameUs = audio::kVoiceFrameMs * 1000;
// A speaker silent this long has ended the spurt: the next frame starts a new one.
constexpr std::int64_t kSpurtEndUs = 200'000;

}  // namespace

std::int64_t monotonic_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bool VoiceTalk::use_rate(int rate, std::string& error) {
  if (!audio::voice_rate_supported(rate)) {
    error = "voice must be at 8, 12, 16, 24 or 48 kHz, not " + std::to_string(rate) + " Hz";
    return false;
  }
  if (!encoder_ || encoder_->rate() != rate) encoder_ = std::make_unique<audio::VoiceEncoder>(rate);
  return true;
}

bool VoiceTalk::say(const audio::MonoClip& clip, std::string& error) {
  if (!use_rate(clip.sample_rate, error)) return false;
  pending_ = clip.samples;
  // Whole frames: the tail is padded with silence.
  const auto frame = static_cast<std::size_t>(encoder_->frame_samples());
  pending_.resize((pending_.size() + frame - 1) / frame * frame, 0.0f);
  next_ = 0;
  live_ = false;
  started_ = std::chrono::steady_clock::now();
  return true;
}

void VoiceTalk::feed(std::span<const float> samples, int rate) {
  std::string error;
  if (!use_rate(rate, error)) return;
  if (!live_) {
    pending_.clear();
    next_ = 0;
    live_ = true;
  }
  pending_.insert(pending_.end(), samples.begin(), samples.end());
  const auto frame = static_cast<std::size_t>(encoder_->frame_samples());
  while (pending_.size() - next_ >= frame) {
    send(std::span(pending_).subspan(next_, frame), monotonic_us());
    next_ += frame;
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(next_));
  next_ = 0;
}

void VoiceTalk::pump() {
  if (live_ || !encoder_ || !saying()) return;
  const auto frame = static_cast<std::size_t>(encoder_->frame_samples());
  const auto elapsed_us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_).count();
  // Frame k is spoken from started + k × 20 ms; it is whole (captured) 20 ms later and
  // sent then, not before, as from a microphone.
  const auto started_us = monotonic_us() - elapsed_us;
  while (saying()) {
    const auto k = static_cast<std::int64_t>(next_ / frame);
    if ((k + 1) * kFrameUs > elapsed_us) break;
    send(std::span(pending_).subspan(next_, frame), started_us + (k + 1) * kFrameUs);
    next_ += frame;
  }
}

void VoiceTalk::send(std::span<const float> frame, std::int64_t captured_us) {
  auto packet = encoder_->encode(frame);
  if (!packet) return;
  room_.send_voice(VoiceFrame{0, sequence_++, captured_us, std::move(*packet)});
}

void VoiceHearing::mute(UserId speaker, bool muted) {
  if (muted) {
    muted_.insert(speaker);
    speakers_.erase(speaker);
  } else {
    muted_.erase(speaker);
  }
}

std::vector<HeardVoice> VoiceHearing::pump() {
  const auto now = monotonic_us();
  for (auto& frame : room_.take_voice()) {
    if (muted_.count(frame.speaker)) continue;
    auto& s = speakers_[frame.speaker];
    auto& st = stats_[frame.speaker];
    st.bytes += frame.opus.size();
    s.last_heard_us = now;
    if (!s.playing) {
      // A new spurt: it plays a little behind its first frame, so later ones have time to come.
      s.playing = true;
      s.next_sequence = frame.sequence;
      s.next_due_us = now + kPlayoutDelayUs;
      if (st.first_us == 0) st.first_us = now;
    }
    if (static_cast<std::int32_t>(frame.sequence - s.next_sequence) < 0) {
      ++st.late;  // its turn has passed
      continue;
    }
    if (s.waiting.size() < 100) s.waiting.emplace(frame.sequence, std::move(frame));
  }
  std::vector<HeardVoice> due;
  for (auto& [id, s] : speakers_) {
    auto& st = stats_[id];
    while (s.playing && s.next_due_us <= now) {
      const auto it = s.waiting.find(s.next_sequence);
      if (it != s.waiting.end() && now - s.next_due_us > kFrameUs) {
        s.next_due_us = now;  // it came after its turn was waited for: play on from now
      }
      HeardVoice heard{id, s.next_due_us, {}};
      if (it != s.waiting.end()) {
        auto samples = s.decoder->decode(it->second.opus);
        heard.samples = samples ? std::move(*samples) : s.decoder->conceal();
        if (!samples) ++st.concealed;
        st.mouth_to_ear_ms.push_back(static_cast<double>(s.next_due_us - it->second.captured_us) / 1000.0);
        if (st.mouth_to_ear_ms.size() > VoiceStats::kLatencyWindow) st.mouth_to_ear_ms.pop_front();
        ++st.frames;
        s.waiting.erase(it);
      } else if (!s.waiting.empty()) {
        heard.samples = s.decoder->conceal();  // lost, or not yet here while later ones are
        ++st.concealed;
      } else if (now - s.last_heard_us > kSpurtEndUs) {
        s.playing = false;  // the spurt ended
        break;
      } else {
        break;  // nothing to play yet: wait for it (its slot moves on only with a later frame)
      }
      st.last_us = s.next_due_us;
      ++s.next_sequence;
      s.next_due_us += kFrameUs;
      due.push_back(std::move(heard));
    }
  }
  return due;
}

}  // namespace lodestone::client
