// The frame's uniforms, shared by every shader (mirrored by FrameUniforms in renderer.cpp).
layout(set = 0, binding = 0) uniform Frame {
  mat4 view_projection[2];
  vec4 eye_position[2];
  vec4 camera_right[2];
  vec4 camera_up[2];
  vec4 time;        // x: seconds since the older snapshot, y: the pair's span, z: cube half size,
                    // w: the suggestions' pulse, 0..1
  vec4 fog;         // x: start, y: end (metres from the eye)
  vec4 background;  // rgb
  uvec4 atlas;      // x, y: tile size in texels; z: tiles per row; w: tiles per layer (0: no thumbnails)
  vec4 atlas_size;  // x, y: layer size in texels; z: channels (1: ink on the face colour, else the image)
  vec4 points;      // x: the widest point the device draws (1 without largePoints)
} frame;

layout(push_constant) uniform Eye {
  uint index;
  float viewport_height;  // pixels
} eye;

float fog_amount(vec3 world) {
  return smoothstep(frame.fog.x, frame.fog.y, distance(world, frame.eye_position[eye.index].xyz));
}
