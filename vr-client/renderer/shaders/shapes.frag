#version 450
#extension GL_GOOGLE_include_directive : require
#include "frame.glsl"

layout(location = 0) in flat vec4 shape_colour;
layout(location = 1) in float shade;
layout(location = 2) in float fog;
layout(location = 0) out vec4 result;

void main() { result = vec4(mix(shape_colour.rgb * shade, frame.background.rgb, fog), 1.0); }
