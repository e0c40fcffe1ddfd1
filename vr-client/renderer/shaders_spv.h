#pragma once
// The SPIR-V of shaders/, compiled at build time by glslangValidator and embedded here.
#include <cstdint>

namespace lodestone::render::shaders {
#include "cubes_vert.h"
#include "cubes_frag.h"
#include "points_vert.h"
#include "points_frag.h"
#include "shapes_vert.h"
#include "shapes_frag.h"
#include "spheres_vert.h"
#include "spheres_frag.h"
}  // namespace lodestone::render::shaders
