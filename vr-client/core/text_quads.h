#pragma once
// Text as quads (stb_easy_font's segment font): names over avatars, menu labels, the help
// text. No font texture: each stroke is a quad the shape pipeline draws.
#include "core/render_data.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lodestone::client {

// Text facing the camera, centred above `anchor`, `height` metres tall per line.
void append_billboard_text(std::vector<ShapeInstance>& out, const std::string& text, Vec3 anchor, float height,
                           std::array<float, 4> rgba, ShapeKind kind = ShapeKind::Billboard);

// Text on the screen at pixel (x, y) (top left of the first line) on a width×height target.
void append_screen_text(std::vector<ShapeInstance>& out, const std::string& text, float x, float y, float scale,
                        int width, int height, std::array<float, 4> rgba);

// A filled screen rectangle in pixels.
void append_screen_rect(std::vector<ShapeInstance>& out, float x0, float y0, float x1, float y1, int width, int height,
                        std::array<float, 4> rgba);

// An image facing the camera, drawn over everything, one quad per pixel (thumbnails are
// tiny: 28×28 is 784 quads), its top left corner `right`/`up` metres from `anchor` along
// the camera's axes, each pixel `pixel` metres a side. `pixels`: width×height×channels
// bytes, row-major (1 channel: grey).
void append_billboard_image(std::vector<ShapeInstance>& out, const std::uint8_t* pixels, int width, int height,
                            int channels, Vec3 anchor, float right, float up, float pixel);

// Width of a text line in font units (scale 1: about 6 units per character).
float text_width(const std::string& text);

}  // namespace lodestone::client
