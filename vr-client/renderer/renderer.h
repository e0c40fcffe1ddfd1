#pragma once
// The Vulkan renderer: draws the room into colour images a backend hands it, one eye at a
// time, with that eye's view and projection. Items: the nearest as cubes in one instanced
// draw, the far rest of a big cloud as points in one draw (level of detail, chosen by the
// core: cube_instances.h), from per-item data uploaded only when the core rebuilds it and
// interpolated in the vertex shader from the frame's time uniform. Spheres translucent,
// then boxes, billboards and screen text.
//
// Frames: call set_cubes / prepare_frame only when the GPU has finished the previous
// frame (the backends wait on a fence), then record() once per eye.
#include "core/render_data.h"
#include "renderer/gpu_context.h"

#include <array>
#include <span>

namespace lodestone::render {

// An image to draw into: a swapchain image, an offscreen image, later an XR swapchain's.
struct ColorTarget {
  VkImage image = VK_NULL_HANDLE;
  VkImageView view = VK_NULL_HANDLE;
  VkExtent2D extent{};
  VkImageLayout initial_layout = VK_IMAGE_LAYOUT_UNDEFINED;  // its contents are not kept
  VkImageLayout final_layout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
  // A depth image (D32_SFLOAT) to draw into and keep, e.g. a headset's depth swapchain for
  // its compositor; none: the renderer's own, discarded after the frame.
  VkImage depth_image = VK_NULL_HANDLE;
  VkImageView depth_view = VK_NULL_HANDLE;
  VkImageLayout depth_final_layout = VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL;
};

class Renderer {
 public:
  static constexpr std::uint32_t kMaxEyes = 2;

  Renderer(GpuContext& gpu, VkFormat color_format);
  ~Renderer();
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;

  // The item thumbnails, packed into an atlas array: made once the dataset is known, with
  // the tiles held so far (those not held stay blank: the cube shows its face colour).
  void set_thumbnails(const client::ThumbnailSet& thumbnails);
  // Copies the tiles of `items` (arrived since) into the atlas set_thumbnails made.
  void update_thumbnails(const client::ThumbnailSet& thumbnails, std::span<const std::uint32_t> items);
  // The per-item data: when a snapshot pair or the labels change, never per frame. The
  // first `near_count` are drawn as cubes, the others as points.
  void set_cubes(std::span<const client::CubeInstance> cubes, std::size_t near_count = SIZE_MAX);
  // The frame's uniforms and shapes, and the eyes' views (at most kMaxEyes).
  void prepare_frame(const client::FrameScene& frame, std::span<const client::EyeView> eyes);
  // Records eye `eye` of the prepared frame into `target`.
  void record(VkCommandBuffer cmd, const ColorTarget& target, std::uint32_t eye);

  std::size_t cube_count() const { return cube_count_; }  // items, as cubes or points
  std::size_t point_count() const { return cube_count_ - near_count_; }
  // The triangles one eye's items take: 12 per cube (points take none).
  std::size_t item_triangles() const { return near_count_ * 12; }

 private:
  void create_meshes();
  void create_descriptors();
  void create_pipelines(VkFormat color_format);
  void create_empty_atlas();
  void bind_atlas();
  GpuImage& depth_for(std::uint32_t eye, VkExtent2D extent);

  GpuContext& gpu_;
  GpuBuffer mesh_;         // cube (36 vertices) then quad (6)
  GpuBuffer sphere_mesh_;  // unit sphere vertices
  GpuBuffer sphere_index_;
  std::uint32_t sphere_index_count_ = 0;
  GpuBuffer cubes_;
  std::size_t cube_count_ = 0, near_count_ = 0;
  GpuBuffer shapes_;
  std::uint32_t box_count_ = 0, sphere_count_ = 0, quad_count_ = 0;
  GpuBuffer uniforms_;
  GpuImage atlas_;
  struct AtlasLayout {
    std::uint32_t count = 0, width = 0, height = 0, channels = 0;
    std::uint32_t per_row = 0, per_layer = 0, layers = 0, layer_w = 0, layer_h = 0, texel = 1;
    bool grey = true;
  } atlas_layout_;
  VkSampler sampler_ = VK_NULL_HANDLE;
  std::array<GpuImage, kMaxEyes> depth_{};
  std::array<VkExtent2D, kMaxEyes> depth_extent_{};
  std::array<float, 3> background_{};
  VkDescriptorSetLayout set_layout_ = VK_NULL_HANDLE;
  VkDescriptorPool pool_ = VK_NULL_HANDLE;
  VkDescriptorSet set_ = VK_NULL_HANDLE;
  VkPipelineLayout layout_ = VK_NULL_HANDLE;
  VkPipeline cube_pipeline_ = VK_NULL_HANDLE;
  VkPipeline point_pipeline_ = VK_NULL_HANDLE;
  VkPipeline shape_pipeline_ = VK_NULL_HANDLE;
  VkPipeline sphere_pipeline_ = VK_NULL_HANDLE;
};

}  // namespace lodestone::render
