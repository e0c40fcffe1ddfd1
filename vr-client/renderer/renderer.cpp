#include "renderer/renderer.h"

#include "renderer/shaders_spv.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace lodestone::render {
namespace {

using client::CubeInstance;
using client::ShapeInstance;

// Mirrors `Frame` in shaders/frame.glsl (std140).
struct FrameUniforms {
  float view_projection[2][16];
  float eye_position[2][4];
  float camera_right[2][4];
  float camera_up[2][4];
  float time[4];
  float fog[4];
  float background[4];
  std::uint32_t atlas[4];
  float atlas_size[4];
  float points[4];  // x: the widest point the device draws
};
static_assert(sizeof(FrameUniforms) == 320);

// The push constant: which eye, and its image's height (a point's size in pixels).
struct EyeConstants {
  std::uint32_t index;
  float viewport_height;
};

struct MeshVertex {
  float corner[3];  // location 0
  float face[3];    // location 1: face coordinates and shade
};

constexpr VkFormat kDepthFormat = VK_FORMAT_D32_SFLOAT;
constexpr std::uint32_t kCubeVertices = 36, kQuadVertices = 6;

std::vector<MeshVertex> cube_and_quad() {
  struct Face {
    float n[3], r[3], u[3], shade;
  };
  // Right × up = outward normal: counter-clockwise seen from outside.
  const Face faces[] = {{{0, 0, 1}, {1, 0, 0}, {0, 1, 0}, 1.0f},   {{0, 0, -1}, {-1, 0, 0}, {0, 1, 0}, 0.9f},
                        {{1, 0, 0}, {0, 0, -1}, {0, 1, 0}, 0.8f},  {{-1, 0, 0}, {0, 0, 1}, {0, 1, 0}, 0.8f},
                        {{0, 1, 0}, {1, 0, 0}, {0, 0, -1}, 0.95f}, {{0, -1, 0}, {1, 0, 0}, {0, 0, 1}, 0.7f}};
  const float corners[6][2] = {{0, 0}, {1, 0}, {1, 1}, {0, 0}, {1, 1}, {0, 1}};
  std::vector<MeshVertex> out;
  for (const Face& f : faces) {
    for (const auto& c : corners) {
      MeshVertex v{};
      for (int k = 0; k < 3; ++k) v.corner[k] = f.n[k] + f.r[k] * (2 * c[0] - 1) + f.u[k] * (2 * c[1] - 1);
      v.face[0] = c[0], v.face[1] = 1 - c[1], v.face[2] = f.shade;
      out.push_back(v);
    }
  }
  for (const auto& c : corners) out.push_back({{2 * c[0] - 1, 2 * c[1] - 1, 0}, {c[0], 1 - c[1], 1}});
  return out;
}

void unit_sphere(std::vector<float>& vertices, std::vector<std::uint16_t>& indices) {
  constexpr int kStacks = 16, kSlices = 24;
  constexpr float kPi = 3.14159265f;
  for (int i = 0; i <= kStacks; ++i) {
    const float theta = kPi * static_cast<float>(i) / kStacks;
    for (int j = 0; j <= kSlices; ++j) {
      const float phi = 2 * kPi * static_cast<float>(j) / kSlices;
      vertices.insert(vertices.end(), {std::sin(theta) * std::cos(phi), std::cos(theta), std::sin(theta) * std::sin(phi)});
    }
  }
  auto at = [&](int i, int j) { return static_cast<std::uint16_t>(i * (kSlices + 1) + j); };
  auto pos = [&](std::uint16_t k) { return Vec3{vertices[k * 3u], vertices[k * 3u + 1], vertices[k * 3u + 2]}; };
  auto add = [&](std::uint16_t a, std::uint16_t b, std::uint16_t c) {
    const Vec3 n = cross(pos(b) - pos(a), pos(c) - pos(a));
    if (length(n) < 1e-7f) return;  // degenerate at the poles
    // Keep every triangle counter-clockwise seen from outside, for back-face culling.
    if (dot(n, pos(a) + pos(b) + pos(c)) < 0) std::swap(b, c);
    indices.insert(indices.end(), {a, b, c});
  };
  for (int i = 0; i < kStacks; ++i) {
    for (int j = 0; j < kSlices; ++j) {
      add(at(i, j), at(i + 1, j), at(i + 1, j + 1));
      add(at(i, j), at(i + 1, j + 1), at(i, j + 1));
    }
  }
}

VkShaderModule make_module(VkDevice device, std::span<const std::uint32_t> code) {
  auto info = vk_struct<VkShaderModuleCreateInfo>(VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO);
  info.codeSize = code.size_bytes();
  info.pCode = code.data();
  VkShaderModule module;
  CHECK_VK(vkCreateShaderModule(device, &info, nullptr, &module));
  return module;
}

struct PipelineDesc {
  std::span<const std::uint32_t> vertex, fragment;
  std::vector<VkVertexInputBindingDescription> bindings;
  std::vector<VkVertexInputAttributeDescription> attributes;
  VkCullModeFlags cull = VK_CULL_MODE_BACK_BIT;
  bool blend = false;
  bool depth_write = true;
  VkPrimitiveTopology topology = VK_PRIMITIVE_TOPOLOGY_TRIANGLE_LIST;
};

VkPipeline make_pipeline(VkDevice device, VkPipelineLayout layout, VkFormat color_format, const PipelineDesc& d) {
  const VkShaderModule vs = make_module(device, d.vertex), fs = make_module(device, d.fragment);
  VkPipelineShaderStageCreateInfo stages[2] = {
      vk_struct<VkPipelineShaderStageCreateInfo>(VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO),
      vk_struct<VkPipelineShaderStageCreateInfo>(VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO)};
  stages[0].stage = VK_SHADER_STAGE_VERTEX_BIT;
  stages[0].module = vs;
  stages[0].pName = "main";
  stages[1].stage = VK_SHADER_STAGE_FRAGMENT_BIT;
  stages[1].module = fs;
  stages[1].pName = "main";
  auto input = vk_struct<VkPipelineVertexInputStateCreateInfo>(VK_STRUCTURE_TYPE_PIPELINE_VERTEX_INPUT_STATE_CREATE_INFO);
  input.vertexBindingDescriptionCount = static_cast<std::uint32_t>(d.bindings.size());
  input.pVertexBindingDescriptions = d.bindings.data();
  input.vertexAttributeDescriptionCount = static_cast<std::uint32_t>(d.attributes.size());
  input.pVertexAttributeDescriptions = d.attributes.data();
  auto assembly = vk_struct<VkPipelineInputAssemblyStateCreateInfo>(VK_STRUCTURE_TYPE_PIPELINE_INPUT_ASSEMBLY_STATE_CREATE_INFO);
  assembly.topology = d.topology;
  auto viewport = vk_struct<VkPipelineViewportStateCreateInfo>(VK_STRUCTURE_TYPE_PIPELINE_VIEWPORT_STATE_CREATE_INFO);
  viewport.viewportCount = viewport.scissorCount = 1;
  auto raster = vk_struct<VkPipelineRasterizationStateCreateInfo>(VK_STRUCTURE_TYPE_PIPELINE_RASTERIZATION_STATE_CREATE_INFO);
  raster.polygonMode = VK_POLYGON_MODE_FILL;
  raster.cullMode = d.cull;
  raster.frontFace = VK_FRONT_FACE_COUNTER_CLOCKWISE;
  raster.lineWidth = 1;
  auto multisample = vk_struct<VkPipelineMultisampleStateCreateInfo>(VK_STRUCTURE_TYPE_PIPELINE_MULTISAMPLE_STATE_CREATE_INFO);
  multisample.rasterizationSamples = VK_SAMPLE_COUNT_1_BIT;
  auto depth = vk_struct<VkPipelineDepthStencilStateCreateInfo>(VK_STRUCTURE_TYPE_PIPELINE_DEPTH_STENCIL_STATE_CREATE_INFO);
  depth.depthTestEnable = VK_TRUE;
  depth.depthWriteEnable = d.depth_write ? VK_TRUE : VK_FALSE;
  depth.depthCompareOp = VK_COMPARE_OP_LESS_OR_EQUAL;
  VkPipelineColorBlendAttachmentState attachment{};
  attachment.colorWriteMask = VK_COLOR_COMPONENT_R_BIT | VK_COLOR_COMPONENT_G_BIT | VK_COLOR_COMPONENT_B_BIT |
                              VK_COLOR_COMPONENT_A_BIT;
  if (d.blend) {
    attachment.blendEnable = VK_TRUE;
    attachment.srcColorBlendFactor = VK_BLEND_FACTOR_SRC_ALPHA;
    attachment.dstColorBlendFactor = VK_BLEND_FACTOR_ONE_MINUS_SRC_ALPHA;
    attachment.colorBlendOp = VK_BLEND_OP_ADD;
    attachment.srcAlphaBlendFactor = VK_BLEND_FACTOR_ZERO;
    attachment.dstAlphaBlendFactor = VK_BLEND_FACTOR_ONE;
    attachment.alphaBlendOp = VK_BLEND_OP_ADD;
  }
  auto blend = vk_struct<VkPipelineColorBlendStateCreateInfo>(VK_STRUCTURE_TYPE_PIPELINE_COLOR_BLEND_STATE_CREATE_INFO);
  blend.attachmentCount = 1;
  blend.pAttachments = &attachment;
  const VkDynamicState dynamic_states[] = {VK_DYNAMIC_STATE_VIEWPORT, VK_DYNAMIC_STATE_SCISSOR};
  auto dynamic = vk_struct<VkPipelineDynamicStateCreateInfo>(VK_STRUCTURE_TYPE_PIPELINE_DYNAMIC_STATE_CREATE_INFO);
  dynamic.dynamicStateCount = 2;
  dynamic.pDynamicStates = dynamic_states;
  auto rendering = vk_struct<VkPipelineRenderingCreateInfo>(VK_STRUCTURE_TYPE_PIPELINE_RENDERING_CREATE_INFO);
  rendering.colorAttachmentCount = 1;
  rendering.pColorAttachmentFormats = &color_format;
  rendering.depthAttachmentFormat = kDepthFormat;
  auto info = vk_struct<VkGraphicsPipelineCreateInfo>(VK_STRUCTURE_TYPE_GRAPHICS_PIPELINE_CREATE_INFO);
  info.pNext = &rendering;
  info.stageCount = 2;
  info.pStages = stages;
  info.pVertexInputState = &input;
  info.pInputAssemblyState = &assembly;
  info.pViewportState = &viewport;
  info.pRasterizationState = &raster;
  info.pMultisampleState = &multisample;
  info.pDepthStencilState = &depth;
  info.pColorBlendState = &blend;
  info.pDynamicState = &dynamic;
  info.layout = layout;
  VkPipeline pipeline;
  const VkResult result = vkCreateGraphicsPipelines(device, VK_NULL_HANDLE, 1, &info, nullptr, &pipeline);
  vkDestroyShaderModule(device, vs, nullptr);
  vkDestroyShaderModule(device, fs, nullptr);
  CHECK_VK(result);
  return pipeline;
}

std::vector<VkVertexInputAttributeDescription> shape_attributes(std::uint32_t first_location, std::uint32_t binding,
                                                                bool with_offset) {
  std::vector<VkVertexInputAttributeDescription> a;
  a.push_back({first_location++, binding, VK_FORMAT_R32G32B32A32_SFLOAT, offsetof(ShapeInstance, center)});
  a.push_back({first_location++, binding, VK_FORMAT_R32G32B32A32_SFLOAT, offsetof(ShapeInstance, half)});
  if (with_offset) a.push_back({first_location++, binding, VK_FORMAT_R32G32B32A32_SFLOAT, offsetof(ShapeInstance, offset)});
  a.push_back({first_location, binding, VK_FORMAT_R32G32B32A32_SFLOAT, offsetof(ShapeInstance, rgba)});
  return a;
}

template <class T>
void upload(const GpuContext& gpu, GpuBuffer& buffer, std::span<const T> data, VkBufferUsageFlags usage) {
  const VkDeviceSize bytes = std::max<VkDeviceSize>(data.size_bytes(), 64);
  if (buffer.size < bytes) {
    // Growing replaces a buffer the GPU may still read: wait for it first.
    if (buffer.buffer != VK_NULL_HANDLE) CHECK_VK(vkDeviceWaitIdle(gpu.device()));
    const VkDeviceSize grown = std::max<VkDeviceSize>(bytes, buffer.size * 3 / 2);
    gpu.destroy(buffer);
    buffer = gpu.create_buffer(grown, usage);
  }
  if (!data.empty()) std::memcpy(buffer.mapped, data.data(), data.size_bytes());
}

}  // namespace

Renderer::Renderer(GpuContext& gpu, VkFormat color_format) : gpu_(gpu) {
  create_meshes();
  create_descriptors();
  create_empty_atlas();
  create_pipelines(color_format);
  uniforms_ = gpu_.create_buffer(sizeof(FrameUniforms), VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT);
  std::memset(uniforms_.mapped, 0, sizeof(FrameUniforms));
  bind_atlas();
}

Renderer::~Renderer() {
  const VkDevice device = gpu_.device();
  vkDeviceWaitIdle(device);
  for (VkPipeline p : {cube_pipeline_, point_pipeline_, shape_pipeline_, sphere_pipeline_}) {
    vkDestroyPipeline(device, p, nullptr);
  }
  vkDestroyPipelineLayout(device, layout_, nullptr);
  vkDestroyDescriptorPool(device, pool_, nullptr);
  vkDestroyDescriptorSetLayout(device, set_layout_, nullptr);
  vkDestroySampler(device, sampler_, nullptr);
  for (auto& d : depth_) gpu_.destroy(d);
  gpu_.destroy(atlas_);
  for (GpuBuffer* b : {&mesh_, &sphere_mesh_, &sphere_index_, &cubes_, &shapes_, &uniforms_}) gpu_.destroy(*b);
}

void Renderer::create_meshes() {
  const auto mesh = cube_and_quad();
  upload(gpu_, mesh_, std::span<const MeshVertex>(mesh), VK_BUFFER_USAGE_VERTEX_BUFFER_BIT);
  std::vector<float> vertices;
  std::vector<std::uint16_t> indices;
  unit_sphere(vertices, indices);
  upload(gpu_, sphere_mesh_, std::span<const float>(vertices), VK_BUFFER_USAGE_VERTEX_BUFFER_BIT);
  upload(gpu_, sphere_index_, std::span<const std::uint16_t>(indices), VK_BUFFER_USAGE_INDEX_BUFFER_BIT);
  sphere_index_count_ = static_cast<std::uint32_t>(indices.size());
}

void Renderer::create_descriptors() {
  const VkDevice device = gpu_.device();
  const VkDescriptorSetLayoutBinding bindings[] = {
      {0, VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, 1, VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, nullptr},
      {1, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1, VK_SHADER_STAGE_FRAGMENT_BIT, nullptr}};
  auto layout = vk_struct<VkDescriptorSetLayoutCreateInfo>(VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO);
  layout.bindingCount = 2;
  layout.pBindings = bindings;
  CHECK_VK(vkCreateDescriptorSetLayout(device, &layout, nullptr, &set_layout_));
  const VkDescriptorPoolSize sizes[] = {{VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, 1},
                                        {VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1}};
  auto pool = vk_struct<VkDescriptorPoolCreateInfo>(VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO);
  pool.maxSets = 1;
  pool.poolSizeCount = 2;
  pool.pPoolSizes = sizes;
  CHECK_VK(vkCreateDescriptorPool(device, &pool, nullptr, &pool_));
  auto alloc = vk_struct<VkDescriptorSetAllocateInfo>(VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO);
  alloc.descriptorPool = pool_;
  alloc.descriptorSetCount = 1;
  alloc.pSetLayouts = &set_layout_;
  CHECK_VK(vkAllocateDescriptorSets(device, &alloc, &set_));
  const VkPushConstantRange push{VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0, sizeof(EyeConstants)};
  auto pipeline_layout = vk_struct<VkPipelineLayoutCreateInfo>(VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO);
  pipeline_layout.setLayoutCount = 1;
  pipeline_layout.pSetLayouts = &set_layout_;
  pipeline_layout.pushConstantRangeCount = 1;
  pipeline_layout.pPushConstantRanges = &push;
  CHECK_VK(vkCreatePipelineLayout(device, &pipeline_layout, nullptr, &layout_));
  auto sampler = vk_struct<VkSamplerCreateInfo>(VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO);
  sampler.magFilter = sampler.minFilter = VK_FILTER_NEAREST;  // crisp pixels on a near cube
  sampler.mipmapMode = VK_SAMPLER_MIPMAP_MODE_NEAREST;
  sampler.addressModeU = sampler.addressModeV = sampler.addressModeW = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
  sampler.maxLod = 0;
  CHECK_VK(vkCreateSampler(device, &sampler, nullptr, &sampler_));
}

void Renderer::create_pipelines(VkFormat color_format) {
  const VkDevice device = gpu_.device();
  const VkVertexInputBindingDescription mesh{0, sizeof(MeshVertex), VK_VERTEX_INPUT_RATE_VERTEX};
  const std::vector<VkVertexInputAttributeDescription> mesh_attributes = {
      {0, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(MeshVertex, corner)},
      {1, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(MeshVertex, face)}};

  PipelineDesc cubes;
  cubes.vertex = shaders::cubes_vert;
  cubes.fragment = shaders::cubes_frag;
  cubes.bindings = {mesh, {1, sizeof(CubeInstance), VK_VERTEX_INPUT_RATE_INSTANCE}};
  cubes.attributes = mesh_attributes;
  cubes.attributes.push_back({2, 1, VK_FORMAT_R32G32B32_SFLOAT, offsetof(CubeInstance, previous)});
  cubes.attributes.push_back({3, 1, VK_FORMAT_R32G32B32_SFLOAT, offsetof(CubeInstance, next)});
  cubes.attributes.push_back({4, 1, VK_FORMAT_R8G8B8A8_UNORM, offsetof(CubeInstance, rgba)});
  cubes.attributes.push_back({5, 1, VK_FORMAT_R32_UINT, offsetof(CubeInstance, thumbnail)});
  cube_pipeline_ = make_pipeline(device, layout_, color_format, cubes);

  // The far items: the same instance data read per vertex, one point each.
  PipelineDesc points;
  points.vertex = shaders::points_vert;
  points.fragment = shaders::points_frag;
  points.bindings = {{0, sizeof(CubeInstance), VK_VERTEX_INPUT_RATE_VERTEX}};
  points.attributes = {{0, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(CubeInstance, previous)},
                       {1, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(CubeInstance, next)},
                       {2, 0, VK_FORMAT_R8G8B8A8_UNORM, offsetof(CubeInstance, rgba)}};
  points.cull = VK_CULL_MODE_NONE;
  points.topology = VK_PRIMITIVE_TOPOLOGY_POINT_LIST;
  point_pipeline_ = make_pipeline(device, layout_, color_format, points);

  PipelineDesc shapes;
  shapes.vertex = shaders::shapes_vert;
  shapes.fragment = shaders::shapes_frag;
  shapes.bindings = {mesh, {1, sizeof(ShapeInstance), VK_VERTEX_INPUT_RATE_INSTANCE}};
  shapes.attributes = mesh_attributes;
  for (const auto& a : shape_attributes(2, 1, true)) shapes.attributes.push_back(a);
  shapes.cull = VK_CULL_MODE_NONE;  // billboards and screen quads have no outside
  shape_pipeline_ = make_pipeline(device, layout_, color_format, shapes);

  PipelineDesc spheres;
  spheres.vertex = shaders::spheres_vert;
  spheres.fragment = shaders::spheres_frag;
  spheres.bindings = {{0, 3 * sizeof(float), VK_VERTEX_INPUT_RATE_VERTEX},
                      {1, sizeof(ShapeInstance), VK_VERTEX_INPUT_RATE_INSTANCE}};
  spheres.attributes = {{0, 0, VK_FORMAT_R32G32B32_SFLOAT, 0}};
  for (const auto& a : shape_attributes(1, 1, false)) spheres.attributes.push_back(a);
  spheres.blend = true;
  spheres.depth_write = false;  // what lies behind a sphere still shows through it
  sphere_pipeline_ = make_pipeline(device, layout_, color_format, spheres);
}

void Renderer::create_empty_atlas() {
  auto info = vk_struct<VkImageCreateInfo>(VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO);
  info.imageType = VK_IMAGE_TYPE_2D;
  info.format = VK_FORMAT_R8_UNORM;
  info.extent = {1, 1, 1};
  info.mipLevels = 1;
  info.arrayLayers = 1;
  info.samples = VK_SAMPLE_COUNT_1_BIT;
  info.tiling = VK_IMAGE_TILING_OPTIMAL;
  info.usage = VK_IMAGE_USAGE_SAMPLED_BIT;
  atlas_ = gpu_.create_image(info, VK_IMAGE_VIEW_TYPE_2D_ARRAY, VK_IMAGE_ASPECT_COLOR_BIT);
  gpu_.run_once([&](VkCommandBuffer cmd) {
    transition(cmd, atlas_.image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_UNDEFINED,
               VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL);
  });
}

void Renderer::bind_atlas() {
  const VkDescriptorBufferInfo buffer{uniforms_.buffer, 0, sizeof(FrameUniforms)};
  const VkDescriptorImageInfo image{sampler_, atlas_.view, VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
  VkWriteDescriptorSet writes[2] = {vk_struct<VkWriteDescriptorSet>(VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET),
                                    vk_struct<VkWriteDescriptorSet>(VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET)};
  writes[0].dstSet = set_;
  writes[0].dstBinding = 0;
  writes[0].descriptorCount = 1;
  writes[0].descriptorType = VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER;
  writes[0].pBufferInfo = &buffer;
  writes[1].dstSet = set_;
  writes[1].dstBinding = 1;
  writes[1].descriptorCount = 1;
  writes[1].descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
  writes[1].pImageInfo = &image;
  vkUpdateDescriptorSets(gpu_.device(), 2, writes, 0, nullptr);
}

namespace {

// One tile as the atlas holds it: grey as one byte a texel, colour as RGBA with alpha 255
// (a tile not yet arrived stays zero: transparent, so the face shows its own colour).
void pack_tile(const std::uint8_t* src, std::uint32_t width, std::uint32_t height, std::uint32_t channels,
               std::uint8_t* out, std::size_t row_stride_texels) {
  const bool grey = channels < 3;
  for (std::uint32_t y = 0; y < height; ++y) {
    for (std::uint32_t x = 0; x < width; ++x) {
      const std::uint8_t* p = src + (std::size_t{y} * width + x) * channels;
      std::uint8_t* q = out + (std::size_t{y} * row_stride_texels + x) * (grey ? 1 : 4);
      if (grey) {
        q[0] = p[0];
      } else {
        q[0] = p[0], q[1] = p[1], q[2] = p[2], q[3] = channels > 3 ? std::max<std::uint8_t>(p[3], 1) : 255;
      }
    }
  }
}

}  // namespace

void Renderer::set_thumbnails(const client::ThumbnailSet& t) {
  if (t.count == 0 || t.width == 0 || t.height == 0 || t.channels == 0 || t.pixels == nullptr) return;
  VkPhysicalDeviceProperties props;
  vkGetPhysicalDeviceProperties(gpu_.physical_device(), &props);
  const std::uint32_t side = std::min<std::uint32_t>(2048, props.limits.maxImageDimension2D);
  if (t.width > side || t.height > side) throw VulkanError("thumbnails larger than the largest texture");
  // Many tiles per layer: one layer per item would exceed maxImageArrayLayers (2048 on lavapipe).
  AtlasLayout a;
  const auto square = static_cast<std::uint32_t>(std::ceil(std::sqrt(static_cast<double>(t.count))));
  a.per_row = std::min(side / t.width, square);
  const std::uint32_t rows = std::min(side / t.height, (t.count + a.per_row - 1) / a.per_row);
  a.per_layer = a.per_row * rows;
  a.layers = (t.count + a.per_layer - 1) / a.per_layer;
  if (a.layers > props.limits.maxImageArrayLayers) throw VulkanError("too many thumbnails for one texture array");
  a.grey = t.channels < 3;
  a.texel = a.grey ? 1 : 4;
  a.layer_w = a.per_row * t.width, a.layer_h = rows * t.height;
  a.count = t.count, a.width = t.width, a.height = t.height, a.channels = t.channels;

  GpuBuffer staging = gpu_.create_buffer(VkDeviceSize{a.layer_w} * a.layer_h * a.layers * a.texel,
                                         VK_BUFFER_USAGE_TRANSFER_SRC_BIT);
  auto* out = static_cast<std::uint8_t*>(staging.mapped);
  std::memset(out, 0, staging.size);
  const std::size_t item_bytes = std::size_t{t.width} * t.height * t.channels;
  for (std::uint32_t i = 0; i < t.count; ++i) {
    const std::uint32_t layer = i / a.per_layer, within = i % a.per_layer;
    const std::uint32_t x0 = (within % a.per_row) * t.width, y0 = (within / a.per_row) * t.height;
    const std::uint8_t* src = t.pixels + i * item_bytes;
    if (t.held != nullptr && !t.held[i]) continue;
    pack_tile(src, t.width, t.height, t.channels,
              out + ((std::size_t{layer} * a.layer_h + y0) * a.layer_w + x0) * a.texel, a.layer_w);
  }
  CHECK_VK(vkDeviceWaitIdle(gpu_.device()));
  gpu_.destroy(atlas_);
  auto info = vk_struct<VkImageCreateInfo>(VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO);
  info.imageType = VK_IMAGE_TYPE_2D;
  info.format = a.grey ? VK_FORMAT_R8_UNORM : VK_FORMAT_R8G8B8A8_UNORM;
  info.extent = {a.layer_w, a.layer_h, 1};
  info.mipLevels = 1;
  info.arrayLayers = a.layers;
  info.samples = VK_SAMPLE_COUNT_1_BIT;
  info.tiling = VK_IMAGE_TILING_OPTIMAL;
  info.usage = VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
  atlas_ = gpu_.create_image(info, VK_IMAGE_VIEW_TYPE_2D_ARRAY, VK_IMAGE_ASPECT_COLOR_BIT);
  gpu_.run_once([&](VkCommandBuffer cmd) {
    transition(cmd, atlas_.image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_UNDEFINED,
               VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, a.layers);
    VkBufferImageCopy region{};
    region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, a.layers};
    region.imageExtent = {a.layer_w, a.layer_h, 1};
    vkCmdCopyBufferToImage(cmd, staging.buffer, atlas_.image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &region);
    transition(cmd, atlas_.image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
               VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, a.layers);
  });
  gpu_.destroy(staging);
  atlas_layout_ = a;
  bind_atlas();
  auto* u = static_cast<FrameUniforms*>(uniforms_.mapped);
  const std::uint32_t atlas[4] = {t.width, t.height, a.per_row, a.per_layer};
  std::memcpy(u->atlas, atlas, sizeof(atlas));
  u->atlas_size[0] = static_cast<float>(a.layer_w);
  u->atlas_size[1] = static_cast<float>(a.layer_h);
  u->atlas_size[2] = a.grey ? 1.0f : 3.0f;
}

void Renderer::update_thumbnails(const client::ThumbnailSet& t, std::span<const std::uint32_t> items) {
  const AtlasLayout& a = atlas_layout_;
  if (items.empty() || atlas_.image == VK_NULL_HANDLE || t.pixels == nullptr || t.count != a.count ||
      t.width != a.width || t.height != a.height || t.channels != a.channels) {
    return;
  }
  const std::size_t item_bytes = std::size_t{t.width} * t.height * t.channels;
  const std::size_t tile_texels = std::size_t{t.width} * t.height;
  GpuBuffer staging = gpu_.create_buffer(VkDeviceSize{tile_texels * a.texel * items.size()}, VK_BUFFER_USAGE_TRANSFER_SRC_BIT);
  auto* out = static_cast<std::uint8_t*>(staging.mapped);
  std::vector<VkBufferImageCopy> regions;
  regions.reserve(items.size());
  for (const auto item : items) {
    if (item >= t.count) continue;
    const std::size_t at = regions.size() * tile_texels * a.texel;
    pack_tile(t.pixels + item * item_bytes, t.width, t.height, t.channels, out + at, t.width);
    const std::uint32_t layer = item / a.per_layer, within = item % a.per_layer;
    VkBufferImageCopy region{};
    region.bufferOffset = at;
    region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, layer, 1};
    region.imageOffset = {static_cast<std::int32_t>((within % a.per_row) * t.width),
                          static_cast<std::int32_t>((within / a.per_row) * t.height), 0};
    region.imageExtent = {t.width, t.height, 1};
    regions.push_back(region);
  }
  if (!regions.empty()) {
    // The atlas is read by frames in flight: wait for them, as set_thumbnails does.
    CHECK_VK(vkDeviceWaitIdle(gpu_.device()));
    gpu_.run_once([&](VkCommandBuffer cmd) {
      transition(cmd, atlas_.image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL,
                 VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, a.layers);
      vkCmdCopyBufferToImage(cmd, staging.buffer, atlas_.image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                             static_cast<std::uint32_t>(regions.size()), regions.data());
      transition(cmd, atlas_.image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                 VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, a.layers);
    });
  }
  gpu_.destroy(staging);
}

void Renderer::set_cubes(std::span<const CubeInstance> cubes, std::size_t near_count) {
  upload(gpu_, cubes_, cubes, VK_BUFFER_USAGE_VERTEX_BUFFER_BIT);
  cube_count_ = cubes.size();
  near_count_ = std::min(near_count, cubes.size());
}

void Renderer::prepare_frame(const client::FrameScene& frame, std::span<const client::EyeView> eyes) {
  if (eyes.size() > kMaxEyes) throw VulkanError("at most two eyes per frame");
  std::vector<ShapeInstance> shapes;
  shapes.reserve(frame.boxes.size() + frame.spheres.size() + frame.quads.size());
  shapes.insert(shapes.end(), frame.boxes.begin(), frame.boxes.end());
  shapes.insert(shapes.end(), frame.spheres.begin(), frame.spheres.end());
  shapes.insert(shapes.end(), frame.quads.begin(), frame.quads.end());
  upload(gpu_, shapes_, std::span<const ShapeInstance>(shapes), VK_BUFFER_USAGE_VERTEX_BUFFER_BIT);
  box_count_ = static_cast<std::uint32_t>(frame.boxes.size());
  sphere_count_ = static_cast<std::uint32_t>(frame.spheres.size());
  quad_count_ = static_cast<std::uint32_t>(frame.quads.size());

  auto* u = static_cast<FrameUniforms*>(uniforms_.mapped);
  for (std::size_t e = 0; e < eyes.size(); ++e) {
    const Mat4 vp = eyes[e].projection * eyes[e].view;
    std::memcpy(u->view_projection[e], vp.m.data(), sizeof(u->view_projection[e]));
    const Vec3 p = eyes[e].position;
    const float position[4] = {p.x, p.y, p.z, 1};
    std::memcpy(u->eye_position[e], position, sizeof(position));
    // The view matrix's first two rows are the camera's right and up in the world.
    const Mat4& v = eyes[e].view;
    const float right[4] = {v.at(0, 0), v.at(0, 1), v.at(0, 2), 0};
    const float up[4] = {v.at(1, 0), v.at(1, 1), v.at(1, 2), 0};
    std::memcpy(u->camera_right[e], right, sizeof(right));
    std::memcpy(u->camera_up[e], up, sizeof(up));
  }
  u->points[0] = gpu_.max_point_size();
  u->time[0] = frame.seconds_since_from;
  u->time[1] = frame.snapshot_span;
  u->time[2] = frame.cube_half_size;
  u->time[3] = frame.pulse;
  u->fog[0] = frame.fog_start;
  u->fog[1] = frame.fog_end;
  for (int k = 0; k < 3; ++k) u->background[k] = frame.background[static_cast<std::size_t>(k)];
  background_ = frame.background;
}

GpuImage& Renderer::depth_for(std::uint32_t eye, VkExtent2D extent) {
  GpuImage& d = depth_[eye];
  if (d.image != VK_NULL_HANDLE && depth_extent_[eye].width == extent.width &&
      depth_extent_[eye].height == extent.height) {
    return d;
  }
  CHECK_VK(vkDeviceWaitIdle(gpu_.device()));
  gpu_.destroy(d);
  auto info = vk_struct<VkImageCreateInfo>(VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO);
  info.imageType = VK_IMAGE_TYPE_2D;
  info.format = kDepthFormat;
  info.extent = {extent.width, extent.height, 1};
  info.mipLevels = 1;
  info.arrayLayers = 1;
  info.samples = VK_SAMPLE_COUNT_1_BIT;
  info.tiling = VK_IMAGE_TILING_OPTIMAL;
  info.usage = VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT;
  d = gpu_.create_image(info, VK_IMAGE_VIEW_TYPE_2D, VK_IMAGE_ASPECT_DEPTH_BIT);
  depth_extent_[eye] = extent;
  return d;
}

void Renderer::record(VkCommandBuffer cmd, const ColorTarget& target, std::uint32_t eye) {
  if (eye >= kMaxEyes) throw VulkanError("eye index out of range");
  const bool keep_depth = target.depth_view != VK_NULL_HANDLE;
  const GpuImage depth = keep_depth ? GpuImage{target.depth_image, VK_NULL_HANDLE, target.depth_view}
                                    : depth_for(eye, target.extent);
  transition(cmd, target.image, VK_IMAGE_ASPECT_COLOR_BIT, target.initial_layout,
             VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL);
  transition(cmd, depth.image, VK_IMAGE_ASPECT_DEPTH_BIT, VK_IMAGE_LAYOUT_UNDEFINED,
             VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL);

  auto color = vk_struct<VkRenderingAttachmentInfo>(VK_STRUCTURE_TYPE_RENDERING_ATTACHMENT_INFO);
  color.imageView = target.view;
  color.imageLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
  color.loadOp = VK_ATTACHMENT_LOAD_OP_CLEAR;
  color.storeOp = VK_ATTACHMENT_STORE_OP_STORE;
  color.clearValue.color = {{background_[0], background_[1], background_[2], 1.0f}};
  auto depth_attachment = vk_struct<VkRenderingAttachmentInfo>(VK_STRUCTURE_TYPE_RENDERING_ATTACHMENT_INFO);
  depth_attachment.imageView = depth.view;
  depth_attachment.imageLayout = VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL;
  depth_attachment.loadOp = VK_ATTACHMENT_LOAD_OP_CLEAR;
  depth_attachment.storeOp = keep_depth ? VK_ATTACHMENT_STORE_OP_STORE : VK_ATTACHMENT_STORE_OP_DONT_CARE;
  depth_attachment.clearValue.depthStencil = {1.0f, 0};
  auto rendering = vk_struct<VkRenderingInfo>(VK_STRUCTURE_TYPE_RENDERING_INFO);
  rendering.renderArea = {{0, 0}, target.extent};
  rendering.layerCount = 1;
  rendering.colorAttachmentCount = 1;
  rendering.pColorAttachments = &color;
  rendering.pDepthAttachment = &depth_attachment;
  vkCmdBeginRendering(cmd, &rendering);

  const VkViewport viewport{0, 0, static_cast<float>(target.extent.width), static_cast<float>(target.extent.height), 0, 1};
  const VkRect2D scissor{{0, 0}, target.extent};
  vkCmdSetViewport(cmd, 0, 1, &viewport);
  vkCmdSetScissor(cmd, 0, 1, &scissor);
  vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, layout_, 0, 1, &set_, 0, nullptr);
  const EyeConstants constants{eye, static_cast<float>(target.extent.height)};
  vkCmdPushConstants(cmd, layout_, VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0, sizeof(constants),
                     &constants);
  const VkDeviceSize zero = 0;

  if (near_count_ > 0) {
    // The nearest items in one instanced draw of cubes ...
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, cube_pipeline_);
    const VkBuffer buffers[] = {mesh_.buffer, cubes_.buffer};
    const VkDeviceSize offsets[] = {0, 0};
    vkCmdBindVertexBuffers(cmd, 0, 2, buffers, offsets);
    vkCmdDraw(cmd, kCubeVertices, static_cast<std::uint32_t>(near_count_), 0, 0);
  }
  if (cube_count_ > near_count_) {
    // ... the rest in one draw of points.
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, point_pipeline_);
    vkCmdBindVertexBuffers(cmd, 0, 1, &cubes_.buffer, &zero);
    vkCmdDraw(cmd, static_cast<std::uint32_t>(cube_count_ - near_count_), 1, static_cast<std::uint32_t>(near_count_), 0);
  }
  const VkBuffer shape_buffers[] = {mesh_.buffer, shapes_.buffer};
  const VkDeviceSize shape_offsets[] = {0, 0};
  if (box_count_ > 0) {
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, shape_pipeline_);
    vkCmdBindVertexBuffers(cmd, 0, 2, shape_buffers, shape_offsets);
    vkCmdDraw(cmd, kCubeVertices, box_count_, 0, 0);
  }
  if (sphere_count_ > 0) {
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, sphere_pipeline_);
    const VkBuffer buffers[] = {sphere_mesh_.buffer, shapes_.buffer};
    const VkDeviceSize offsets[] = {0, 0};
    vkCmdBindVertexBuffers(cmd, 0, 2, buffers, offsets);
    vkCmdBindIndexBuffer(cmd, sphere_index_.buffer, zero, VK_INDEX_TYPE_UINT16);
    vkCmdDrawIndexed(cmd, sphere_index_count_, sphere_count_, 0, 0, box_count_);
  }
  if (quad_count_ > 0) {
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, shape_pipeline_);
    vkCmdBindVertexBuffers(cmd, 0, 2, shape_buffers, shape_offsets);
    vkCmdDraw(cmd, kQuadVertices, quad_count_, kCubeVertices, box_count_ + sphere_count_);
  }
  vkCmdEndRendering(cmd);
  if (target.final_layout != VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL) {
    transition(cmd, target.image, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
               target.final_layout);
  }
  if (keep_depth) {
    transition(cmd, depth.image, VK_IMAGE_ASPECT_DEPTH_BIT, VK_IMAGE_LAYOUT_DEPTH_ATTACHMENT_OPTIMAL,
               target.depth_final_layout);
  }
}

}  // namespace lodestone::render
