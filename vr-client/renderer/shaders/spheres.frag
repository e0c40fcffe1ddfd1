#version 450
#extension GL_GOOGLE_include_directive : require
#include "frame.glsl"

layout(location = 0) in vec3 normal;
layout(location = 1) in vec3 to_eye;
layout(location = 2) in flat vec4 sphere_colour;
layout(location = 3) in flat float rim;
layout(location = 4) in float fog;
layout(location = 0) out vec4 result;

void main() {
  // Translucent body, brighter silhouette: the edge shows the sphere's extent.
  float edge = 1.0 - abs(dot(normalize(normal), normalize(to_eye)));
  float lit = rim * edge * edge;
  vec3 c = mix(sphere_colour.rgb, vec3(1.0), lit * 0.6);
  float alpha = clamp(sphere_colour.a + lit * 0.5, 0.0, 1.0) * (1.0 - fog);
  result = vec4(c, alpha);
}
