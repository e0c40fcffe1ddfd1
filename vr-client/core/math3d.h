#pragma once
// The little 3-D math the client needs: vector operators, column-major 4×4 matrices in
// Vulkan's clip space (y down, depth 0..1), projection of a point to a pixel, and
// rotations by quaternion. Plain C++ so the interaction core and tests share it with the
// renderer.
#include "lodestone/types.h"

#include <array>
#include <cmath>
#include <optional>

namespace lodestone {

inline Vec3 operator+(Vec3 a, Vec3 b) { return {a.x + b.x, a.y + b.y, a.z + b.z}; }
inline Vec3 operator-(Vec3 a, Vec3 b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
inline Vec3 operator*(Vec3 a, float s) { return {a.x * s, a.y * s, a.z * s}; }
inline Vec3 operator*(float s, Vec3 a) { return a * s; }
inline float dot(Vec3 a, Vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
inline Vec3 cross(Vec3 a, Vec3 b) {
  return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}
inline float length(Vec3 a) { return std::sqrt(dot(a, a)); }
inline Vec3 normalize(Vec3 a) {
  const float l = length(a);
  return l > 0 ? a * (1.0f / l) : Vec3{0, 0, 0};
}
inline Vec3 lerp(Vec3 a, Vec3 b, float t) { return a + (b - a) * t; }

// v rotated by the unit quaternion q.
inline Vec3 rotate(Quat q, Vec3 v) {
  const Vec3 u{q.x, q.y, q.z};
  const Vec3 t = cross(u, v) * 2.0f;
  return v + t * q.w + cross(u, t);
}
// Yaw about +y, then pitch about the rotated +x (radians); yaw 0 pitch 0 looks along −z.
inline Quat yaw_pitch(float yaw, float pitch) {
  const float cy = std::cos(yaw / 2), sy = std::sin(yaw / 2);
  const float cp = std::cos(pitch / 2), sp = std::sin(pitch / 2);
  return {cy * sp, sy * cp, -sy * sp, cy * cp};
}
inline Vec3 forward(Quat q) { return rotate(q, {0, 0, -1}); }

struct Vec4 {
  float x = 0, y = 0, z = 0, w = 0;
};

// Column-major: m[column * 4 + row], as GLSL reads a mat4 from memory.
struct Mat4 {
  std::array<float, 16> m{};
  static Mat4 identity() {
    Mat4 r;
    r.m[0] = r.m[5] = r.m[10] = r.m[15] = 1;
    return r;
  }
  float& at(int row, int col) { return m[static_cast<std::size_t>(col * 4 + row)]; }
  float at(int row, int col) const { return m[static_cast<std::size_t>(col * 4 + row)]; }
};

inline Mat4 operator*(const Mat4& a, const Mat4& b) {
  Mat4 r;
  for (int row = 0; row < 4; ++row)
    for (int col = 0; col < 4; ++col) {
      float s = 0;
      for (int k = 0; k < 4; ++k) s += a.at(row, k) * b.at(k, col);
      r.at(row, col) = s;
    }
  return r;
}

inline Vec4 operator*(const Mat4& a, Vec4 v) {
  const float in[4] = {v.x, v.y, v.z, v.w};
  float out[4] = {0, 0, 0, 0};
  for (int row = 0; row < 4; ++row)
    for (int k = 0; k < 4; ++k) out[row] += a.at(row, k) * in[k];
  return {out[0], out[1], out[2], out[3]};
}

// World → eye, right-handed, the eye looking along −z.
inline Mat4 look_at(Vec3 eye, Vec3 target, Vec3 up) {
  const Vec3 f = normalize(target - eye);
  const Vec3 s = normalize(cross(f, up));
  const Vec3 u = cross(s, f);
  Mat4 r = Mat4::identity();
  r.at(0, 0) = s.x, r.at(0, 1) = s.y, r.at(0, 2) = s.z, r.at(0, 3) = -dot(s, eye);
  r.at(1, 0) = u.x, r.at(1, 1) = u.y, r.at(1, 2) = u.z, r.at(1, 3) = -dot(u, eye);
  r.at(2, 0) = -f.x, r.at(2, 1) = -f.y, r.at(2, 2) = -f.z, r.at(2, 3) = dot(f, eye);
  return r;
}

// The view matrix of a posed eye (its orientation's −z is where it looks).
inline Mat4 view_from_pose(const Pose& pose) {
  const Vec3 f = forward(pose.orientation);
  const Vec3 up = rotate(pose.orientation, {0, 1, 0});
  return look_at(pose.position, pose.position + f, up);
}

// Eye → Vulkan clip space: y down on screen, depth 0 at `near` and 1 at `far`.
inline Mat4 perspective(float fov_y_radians, float aspect, float near_z, float far_z) {
  const float f = 1.0f / std::tan(fov_y_radians / 2);
  Mat4 r;
  r.at(0, 0) = f / aspect;
  r.at(1, 1) = -f;
  r.at(2, 2) = far_z / (near_z - far_z);
  r.at(2, 3) = near_z * far_z / (near_z - far_z);
  r.at(3, 2) = -1;
  return r;
}

// An asymmetric frustum from the four half-angle tangents an XR runtime reports.
inline Mat4 perspective_from_tangents(float left, float right, float up, float down, float near_z,
                                      float far_z) {
  Mat4 r;
  r.at(0, 0) = 2 / (right - left);
  r.at(0, 2) = (right + left) / (right - left);
  r.at(1, 1) = -2 / (up - down);
  r.at(1, 2) = -(up + down) / (up - down);
  r.at(2, 2) = far_z / (near_z - far_z);
  r.at(2, 3) = near_z * far_z / (near_z - far_z);
  r.at(3, 2) = -1;
  return r;
}

struct Pixel {
  float x = 0, y = 0;  // pixel coordinates, origin top left
  float depth = 0;
};

// Where a world point lands on a width×height image; nothing when behind the eye.
inline std::optional<Pixel> project(const Mat4& view_projection, Vec3 p, int width, int height) {
  const Vec4 c = view_projection * Vec4{p.x, p.y, p.z, 1};
  if (c.w <= 0) return std::nullopt;
  const float nx = c.x / c.w, ny = c.y / c.w;
  return Pixel{(nx * 0.5f + 0.5f) * static_cast<float>(width), (ny * 0.5f + 0.5f) * static_cast<float>(height),
               c.z / c.w};
}

}  // namespace lodestone
