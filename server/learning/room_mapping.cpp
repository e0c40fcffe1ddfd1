#include "learning/room_mapping.h"

#include <algorithm>
#include <cmath>

namespace lodestone::learning {
namespace {

struct AxisStats {
  double centre = 0, inv_scale = 1;
};

double median(std::vector<double>& v) {
  const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

// Median and 1.4826·MAD: for Gaussian data they equal the mean and standard deviation,
// but a few far-out latents cannot drag them, so the bulk of the cloud still fills the
// room instead of collapsing into its middle. When more than half the points share one
// value the MAD is 0; then the standard deviation scales, and failing that, 1.
template <class Get>
AxisStats stats(std::span<const Vec3> p, Get get) {
  std::vector<double> v;
  v.reserve(p.size());
  for (const auto& q : p) v.push_back(get(q));
  const double centre = median(v);
  for (auto& x : v) x = std::fabs(x - centre);
  double scale = 1.4826 * median(v);
  if (!(scale > 1e-12)) {
    double sq = 0;
    for (const auto& x : v) sq += x * x;
    scale = std::sqrt(sq / static_cast<double>(v.size()));
  }
  return {centre, scale > 1e-12 && std::isfinite(scale) ? 1.0 / scale : 1.0};
}

float gaussian_cdf(double z) { return static_cast<float>(0.5 * std::erfc(-z / std::sqrt(2.0))); }

}  // namespace

std::vector<Vec3> map_to_room(std::span<const Vec3> latent, const Box& room) {
  std::vector<Vec3> out(latent.size());
  if (latent.empty()) return out;
  const auto sx = stats(latent, [](const Vec3& v) { return double(v.x); });
  const auto sy = stats(latent, [](const Vec3& v) { return double(v.y); });
  const auto sz = stats(latent, [](const Vec3& v) { return double(v.z); });
  const Vec3 extent{room.max.x - room.min.x, room.max.y - room.min.y, room.max.z - room.min.z};
  for (std::size_t i = 0; i < latent.size(); ++i) {
    out[i] = {room.min.x + extent.x * gaussian_cdf((latent[i].x - sx.centre) * sx.inv_scale),
              room.min.y + extent.y * gaussian_cdf((latent[i].y - sy.centre) * sy.inv_scale),
              room.min.z + extent.z * gaussian_cdf((latent[i].z - sz.centre) * sz.inv_scale)};
  }
  return out;
}

}  // namespace lodestone::learning
