#pragma once
// The learning tests' dataset: two classes of 8×8 images anyone can tell apart, a bright
// left half (class 0, even items) or a bright right half (class 1, odd items), in noise.
#include <cstdint>
#include <random>
#include <vector>

namespace lodestone::learning {

struct Toy {
  std::vector<std::uint8_t> pixels;
  std::vector<int> truth;
};

inline Toy toy_dataset(std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> noise(0, 60);
  Toy toy;
  for (std::size_t i = 0; i < n; ++i) {
    const int cls = static_cast<int>(i % 2);
    for (int y = 0; y < 8; ++y) {
      for (int x = 0; x < 8; ++x) {
        const bool lit = (x < 4) == (cls == 0);
        toy.pixels.push_back(static_cast<std::uint8_t>(lit ? 255 - noise(rng) : noise(rng)));
      }
    }
    toy.truth.push_back(cls);
  }
  return toy;
}

}  // namespace lodestone::learning
