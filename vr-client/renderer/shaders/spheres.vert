#version 450
#extension GL_GOOGLE_include_directive : require
#include "frame.glsl"

layout(location = 0) in vec3 position;     // unit sphere: also the normal
layout(location = 1) in vec4 center_kind;  // instance: xyz centre
layout(location = 2) in vec4 half_rim;     // x: radius, w: rim strength (highlight)
layout(location = 3) in vec4 colour;       // rgb, a: opacity

layout(location = 0) out vec3 normal;
layout(location = 1) out vec3 to_eye;
layout(location = 2) out flat vec4 sphere_colour;
layout(location = 3) out flat float rim;
layout(location = 4) out float fog;

void main() {
  vec3 world = center_kind.xyz + position * half_rim.x;
  gl_Position = frame.view_projection[eye.index] * vec4(world, 1.0);
  normal = position;
  to_eye = frame.eye_position[eye.index].xyz - world;
  sphere_colour = colour;
  rim = half_rim.w;
  fog = fog_amount(world);
}
