#version 450
#extension GL_GOOGLE_include_directive : require
#include "frame.glsl"

layout(location = 0) in flat vec4 point_colour;
layout(location = 1) in float fog;
layout(location = 0) out vec4 result;

void main() {
  vec3 c = point_colour.rgb * 0.85;  // about a cube face's mean shade
  if (point_colour.a < 0.75) c *= mix(0.5, 1.0, frame.time.w);  // a suggestion's pulse, as on cubes
  result = vec4(mix(c, frame.background.rgb, fog), 1.0);
}
