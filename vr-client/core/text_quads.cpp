#include "core/text_quads.h"

#include <stb/stb_easy_font.h>

#include <algorithm>

namespace lodestone::client {
namespace {

struct FontVertex {
  float x, y, z;
  unsigned char color[4];
};

// The quads of one string in font units (y down), as min/max corners.
struct Rect {
  float x0, y0, x1, y1;
};

std::vector<Rect> font_rects(const std::string& text) {
  std::string copy = text;  // stb_easy_font takes a mutable pointer
  std::vector<FontVertex> buffer(copy.size() * 70 + 64);
  const int quads = stb_easy_font_print(0, 0, copy.data(), nullptr, buffer.data(),
                                        static_cast<int>(buffer.size() * sizeof(FontVertex)));
  std::vector<Rect> rects;
  rects.reserve(static_cast<std::size_t>(quads));
  for (int q = 0; q < quads; ++q) {
    const FontVertex* v = &buffer[static_cast<std::size_t>(q) * 4];
    Rect r{v[0].x, v[0].y, v[0].x, v[0].y};
    for (int k = 1; k < 4; ++k) {
      r.x0 = std::min(r.x0, v[k].x), r.y0 = std::min(r.y0, v[k].y);
      r.x1 = std::max(r.x1, v[k].x), r.y1 = std::max(r.y1, v[k].y);
    }
    rects.push_back(r);
  }
  return rects;
}

constexpr float kLineUnits = 12.0f;  // stb_easy_font's line height in its units

}  // namespace

float text_width(const std::string& text) {
  std::string copy = text;
  return static_cast<float>(stb_easy_font_width(copy.data()));
}

void append_billboard_text(std::vector<ShapeInstance>& out, const std::string& text, Vec3 anchor, float height,
                           std::array<float, 4> rgba, ShapeKind kind) {
  const float unit = height / kLineUnits;
  const float half_width = text_width(text) * unit / 2;
  for (const Rect& r : font_rects(text)) {
    ShapeInstance s{};
    s.center[0] = anchor.x, s.center[1] = anchor.y, s.center[2] = anchor.z;
    s.kind = static_cast<float>(kind);
    s.half[0] = (r.x1 - r.x0) * unit / 2, s.half[1] = (r.y1 - r.y0) * unit / 2;
    s.offset[0] = (r.x0 + r.x1) * unit / 2 - half_width;
    s.offset[1] = -(r.y0 + r.y1) * unit / 2 + height;
    std::copy(rgba.begin(), rgba.end(), s.rgba);
    out.push_back(s);
  }
}

void append_billboard_image(std::vector<ShapeInstance>& out, const std::uint8_t* pixels, int width, int height,
                            int channels, Vec3 anchor, float right, float up, float pixel) {
  if (pixels == nullptr || width <= 0 || height <= 0 || channels <= 0) return;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const std::uint8_t* p = pixels + (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)) *
                                           static_cast<std::size_t>(channels);
      ShapeInstance s{};
      s.center[0] = anchor.x, s.center[1] = anchor.y, s.center[2] = anchor.z;
      s.kind = static_cast<float>(ShapeKind::OverlayBillboard);
      s.half[0] = s.half[1] = pixel / 2;
      s.offset[0] = right + (static_cast<float>(x) + 0.5f) * pixel;
      s.offset[1] = up - (static_cast<float>(y) + 0.5f) * pixel;
      const float r = static_cast<float>(p[0]) / 255.0f;
      const float g = channels >= 3 ? static_cast<float>(p[1]) / 255.0f : r;
      const float b = channels >= 3 ? static_cast<float>(p[2]) / 255.0f : r;
      s.rgba[0] = r, s.rgba[1] = g, s.rgba[2] = b, s.rgba[3] = 1;
      out.push_back(s);
    }
  }
}

void append_screen_rect(std::vector<ShapeInstance>& out, float x0, float y0, float x1, float y1, int width, int height,
                        std::array<float, 4> rgba) {
  const float w = static_cast<float>(width), h = static_cast<float>(height);
  ShapeInstance s{};
  s.kind = static_cast<float>(ShapeKind::ScreenQuad);
  s.center[0] = (x0 + x1) / w - 1, s.center[1] = (y0 + y1) / h - 1;
  s.half[0] = (x1 - x0) / w, s.half[1] = (y1 - y0) / h;
  std::copy(rgba.begin(), rgba.end(), s.rgba);
  out.push_back(s);
}

void append_screen_text(std::vector<ShapeInstance>& out, const std::string& text, float x, float y, float scale,
                        int width, int height, std::array<float, 4> rgba) {
  for (const Rect& r : font_rects(text)) {
    append_screen_rect(out, x + r.x0 * scale, y + r.y0 * scale, x + r.x1 * scale, y + r.y1 * scale, width, height,
                       rgba);
  }
}

}  // namespace lodestone::client
