#include "learning/room_mapping.h"

#include <cmath>

namespace lodestone::learning {
namespace {

struct AxisStats {
  double mean = 0, inv_std = 1;
};

template <class Get>
AxisStats stats(std::span<const Vec3> p, Get get) {
  double sum = 0, sq = 0;
  for (const auto& v : p) sum += get(v);
  const double n = static_cast<double>(p.size());
  const double mean = sum / n;
  for (const auto& v : p) sq += (get(v) - mean) * (get(v) - mean);
  const double sd = std::sqrt(sq / n);
  return {mean, sd > 1e-12 ? 1.0 / sd : 1.0};
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
    out[i] = {room.min.x + extent.x * gaussian_cdf((latent[i].x - sx.mean) * sx.inv_std),
              room.min.y + extent.y * gaussian_cdf((latent[i].y - sy.mean) * sy.inv_std),
              room.min.z + extent.z * gaussian_cdf((latent[i].z - sz.mean) * sz.inv_std)};
  }
  return out;
}

}  // namespace lodestone::learning
