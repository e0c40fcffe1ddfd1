#version 450
#extension GL_GOOGLE_include_directive : require
#include "frame.glsl"

// A far item of a big cloud: one point of its face colour, as wide as its cube would be.
layout(location = 0) in vec3 previous;
layout(location = 1) in vec3 next;
layout(location = 2) in vec4 colour;

layout(location = 0) out flat vec4 point_colour;
layout(location = 1) out float fog;

void main() {
  float a = frame.time.y > 0.0 ? clamp(frame.time.x / frame.time.y, 0.0, 1.0) : 0.0;
  vec3 world = mix(previous, next, a);
  gl_Position = frame.view_projection[eye.index] * vec4(world, 1.0);
  // The cube's height on screen: the clip-space span of its edge along the camera's up.
  vec4 top = frame.view_projection[eye.index] * vec4(world + frame.camera_up[eye.index].xyz * (2.0 * frame.time.z), 1.0);
  float pixels = gl_Position.w > 0.0 && top.w > 0.0
                     ? abs(top.y / top.w - gl_Position.y / gl_Position.w) * 0.5 * eye.viewport_height
                     : 1.0;
  gl_PointSize = clamp(pixels, 1.0, frame.points.x);
  point_colour = colour;
  fog = fog_amount(world);
}
