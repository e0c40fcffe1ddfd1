#include "learning/alignment.h"

#include <cmath>

namespace lodestone::learning {
namespace {

using Mat = double[3][3];

Vec3 mean_of(std::span<const Vec3> p) {
  double x = 0, y = 0, z = 0;
  for (const auto& v : p) x += v.x, y += v.y, z += v.z;
  const double n = p.empty() ? 1.0 : static_cast<double>(p.size());
  return {static_cast<float>(x / n), static_cast<float>(y / n), static_cast<float>(z / n)};
}

double component(const Vec3& v, int i) { return i == 0 ? v.x : (i == 1 ? v.y : v.z); }

double determinant(const Mat m) {
  return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
         m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
         m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
}

// Inverse transpose of m; false when m is (numerically) singular.
bool inverse_transpose(const Mat m, Mat out) {
  const double det = determinant(m);
  if (std::fabs(det) < 1e-12) return false;
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      const int i1 = (i + 1) % 3, i2 = (i + 2) % 3, j1 = (j + 1) % 3, j2 = (j + 2) % 3;
      out[i][j] = (m[i1][j1] * m[i2][j2] - m[i1][j2] * m[i2][j1]) / det;  // cofactor / det
    }
  }
  return true;
}

}  // namespace

// The optimal rotation is the orthogonal polar factor of the cross-covariance M = Σ fᵀt;
// Newton's iteration R ← (R + R⁻ᵀ)/2 converges to it quadratically for non-singular M.
Similarity procrustes(std::span<const Vec3> from, std::span<const Vec3> to) {
  Similarity t;
  t.from_mean = mean_of(from);
  t.to_mean = mean_of(to);
  if (from.size() != to.size() || from.size() < 4) return t;
  Mat m{};
  double from_norm = 0;
  for (std::size_t k = 0; k < from.size(); ++k) {
    for (int i = 0; i < 3; ++i) {
      const double fi = component(from[k], i) - component(t.from_mean, i);
      from_norm += fi * fi;
      for (int j = 0; j < 3; ++j) m[i][j] += fi * (component(to[k], j) - component(t.to_mean, j));
    }
  }
  double scale_m = 0;
  for (auto& row : m) for (double v : row) scale_m = std::max(scale_m, std::fabs(v));
  if (scale_m == 0 || from_norm == 0) return t;
  Mat r;
  for (int i = 0; i < 3; ++i) for (int j = 0; j < 3; ++j) r[i][j] = m[i][j] / scale_m;
  for (int iteration = 0; iteration < 50; ++iteration) {
    Mat inv_t;
    if (!inverse_transpose(r, inv_t)) return t;
    double change = 0;
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < 3; ++j) {
        const double next = 0.5 * (r[i][j] + inv_t[i][j]);
        change = std::max(change, std::fabs(next - r[i][j]));
        r[i][j] = next;
      }
    }
    if (change < 1e-10) break;
  }
  // Scale: trace(Rᵀ M) / Σ|f − f̄|², the least-squares optimum given R.
  double trace = 0;
  for (int i = 0; i < 3; ++i) for (int j = 0; j < 3; ++j) trace += r[i][j] * m[i][j];
  for (int i = 0; i < 3; ++i) for (int j = 0; j < 3; ++j) t.rotation[i][j] = static_cast<float>(r[i][j]);
  t.scale = static_cast<float>(trace / from_norm);
  return t;
}

// Row-vector convention: to = scale · (from − from_mean) · R + to_mean.
std::vector<Vec3> transform_points(const Similarity& t, std::span<const Vec3> points) {
  std::vector<Vec3> out(points.size());
  const auto& r = t.rotation;
  for (std::size_t k = 0; k < points.size(); ++k) {
    const float x = points[k].x - t.from_mean.x, y = points[k].y - t.from_mean.y,
                z = points[k].z - t.from_mean.z;
    out[k] = {t.scale * (x * r[0][0] + y * r[1][0] + z * r[2][0]) + t.to_mean.x,
              t.scale * (x * r[0][1] + y * r[1][1] + z * r[2][1]) + t.to_mean.y,
              t.scale * (x * r[0][2] + y * r[1][2] + z * r[2][2]) + t.to_mean.z};
  }
  return out;
}

}  // namespace lodestone::learning
