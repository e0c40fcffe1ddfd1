#pragma once
// The headless backend's target: renders a frame into an offscreen image and reads it
// back, for PNGs (the demo, docs pictures) and for tests that check pixels.
#include "renderer/renderer.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace lodestone::render {

struct RgbaImage {
  std::uint32_t width = 0, height = 0;
  std::vector<std::uint8_t> pixels;  // rows top to bottom, RGBA8
  std::array<std::uint8_t, 4> at(std::uint32_t x, std::uint32_t y) const;
};

// Writes a PNG; false with `error` set when the file cannot be written.
bool write_png(const std::string& path, const RgbaImage& image, std::string& error);

class OffscreenRenderer {
 public:
  OffscreenRenderer(GpuContext& gpu, std::uint32_t width, std::uint32_t height);
  ~OffscreenRenderer();
  OffscreenRenderer(const OffscreenRenderer&) = delete;
  OffscreenRenderer& operator=(const OffscreenRenderer&) = delete;

  Renderer& renderer() { return renderer_; }
  std::uint32_t width() const { return width_; }
  std::uint32_t height() const { return height_; }

  // Draws one eye and waits for the pixels.
  RgbaImage render(const client::FrameScene& frame, const client::EyeView& eye);

 private:
  GpuContext& gpu_;
  std::uint32_t width_, height_;
  Renderer renderer_;
  GpuImage color_;
  GpuBuffer readback_;
  VkCommandBuffer cmd_ = VK_NULL_HANDLE;
  VkFence fence_ = VK_NULL_HANDLE;
};

}  // namespace lodestone::render
