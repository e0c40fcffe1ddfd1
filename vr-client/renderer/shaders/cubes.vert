#version 450
#extension GL_GOOGLE_include_directive : require
#include "frame.glsl"

layout(location = 0) in vec3 corner;     // cube corner, each axis ±1
layout(location = 1) in vec3 face;       // xy: face coordinates 0..1, z: face shade
layout(location = 2) in vec3 previous;   // instance: position in the older snapshot
layout(location = 3) in vec3 next;       // instance: position in the newer snapshot
layout(location = 4) in vec4 colour;     // instance: class colour or grey
layout(location = 5) in uint thumbnail;  // instance: atlas tile

layout(location = 0) out vec2 uv;
layout(location = 1) out flat vec4 face_colour;
layout(location = 2) out flat uint tile;
layout(location = 3) out float shade;
layout(location = 4) out float fog;

void main() {
  // Interpolation happens here, so the CPU does nothing per point per frame.
  float a = frame.time.y > 0.0 ? clamp(frame.time.x / frame.time.y, 0.0, 1.0) : 0.0;
  vec3 world = mix(previous, next, a) + corner * frame.time.z;
  gl_Position = frame.view_projection[eye.index] * vec4(world, 1.0);
  uv = face.xy;
  shade = face.z;
  face_colour = colour;
  tile = thumbnail;
  fog = fog_amount(world);
}
