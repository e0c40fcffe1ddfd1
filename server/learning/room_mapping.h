#pragma once
// Latent space → room. The VAE's prior is a standard Gaussian, so after standardising
// each axis its CDF spreads the cloud evenly through the room cube instead of leaving
// a dense core and a few far outliers. Each axis is centred on its median and scaled by
// its median absolute deviation, so a few far-out latents do not shrink the bulk.
#include "lodestone/types.h"

#include <span>
#include <vector>

namespace lodestone::learning {

std::vector<Vec3> map_to_room(std::span<const Vec3> latent, const Box& room);

}  // namespace lodestone::learning
