#version 450
#extension GL_GOOGLE_include_directive : require
#include "frame.glsl"

layout(set = 0, binding = 1) uniform sampler2DArray atlas;

layout(location = 0) in vec2 uv;
layout(location = 1) in flat vec4 face_colour;
layout(location = 2) in flat uint tile;
layout(location = 3) in float shade;
layout(location = 4) in float fog;
layout(location = 0) out vec4 result;

void main() {
  vec3 c = face_colour.rgb;
  // A suggestion (alpha kSuggestionAlpha, render_data.h) glows from half to full brightness.
  if (face_colour.a < 0.75) c *= mix(0.5, 1.0, frame.time.w);
  // The thumbnail fills the face inside a border of the face colour.
  if (frame.atlas.w > 0u && all(greaterThan(uv, vec2(0.1))) && all(lessThan(uv, vec2(0.9)))) {
    vec2 inner = (uv - 0.1) / 0.8;
    uint layer = tile / frame.atlas.w;
    uint within = tile % frame.atlas.w;
    uvec2 cell = uvec2(within % frame.atlas.z, within / frame.atlas.z);
    vec2 texel = (vec2(cell * frame.atlas.xy) + inner * vec2(frame.atlas.xy)) / frame.atlas_size.xy;
    vec4 t = texture(atlas, vec3(texel, float(layer)));
    // Grey images (digits) as white ink on the face colour; colour images as they are
    // (alpha 0: the tile has not arrived yet, so the face keeps its colour).
    c = frame.atlas_size.z == 1.0 ? mix(c, vec3(1.0), t.r * 0.85) : (t.a > 0.0 ? t.rgb : c);
  }
  result = vec4(mix(c * shade, frame.background.rgb, fog), 1.0);
}
