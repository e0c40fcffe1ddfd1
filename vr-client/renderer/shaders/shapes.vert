#version 450
#extension GL_GOOGLE_include_directive : require
#include "frame.glsl"

layout(location = 0) in vec3 corner;
layout(location = 1) in vec3 face;
layout(location = 2) in vec4 center_kind;  // xyz: centre (NDC for screen quads), w: kind
layout(location = 3) in vec4 half_rim;     // xyz: half extents
layout(location = 4) in vec4 offset;       // billboards: xy along the camera's right and up
layout(location = 5) in vec4 colour;

layout(location = 0) out flat vec4 shape_colour;
layout(location = 1) out float shade;
layout(location = 2) out float fog;

void main() {
  uint kind = uint(center_kind.w + 0.5);
  shape_colour = colour;
  if (kind == 2u) {  // screen quad: already in clip space, in front of everything
    gl_Position = vec4(center_kind.xy + corner.xy * half_rim.xy, 0.0, 1.0);
    shade = 1.0;
    fog = 0.0;
    return;
  }
  vec3 world;
  if (kind == 1u || kind == 3u) {  // billboard: faces the eye
    vec3 right = frame.camera_right[eye.index].xyz, up = frame.camera_up[eye.index].xyz;
    world = center_kind.xyz + right * (offset.x + corner.x * half_rim.x) + up * (offset.y + corner.y * half_rim.y);
    shade = 1.0;
  } else {
    world = center_kind.xyz + corner * half_rim.xyz;
    shade = face.z;
  }
  gl_Position = frame.view_projection[eye.index] * vec4(world, 1.0);
  fog = fog_amount(world);
  if (kind == 3u) {  // over everything: on the near plane, unfogged
    gl_Position.z = 0.0;
    fog = 0.0;
  }
}
