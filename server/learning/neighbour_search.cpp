#include "learning/neighbour_search.h"

#include <algorithm>

namespace lodestone::learning {

at::Tensor principal_components(const at::Tensor& x, int dims, std::int64_t sample_rows) {
  const auto rows = x.size(0), columns = x.size(1);
  const auto centred = x - x.mean(0, /*keepdim=*/true);
  const auto keep = std::min<std::int64_t>(dims, columns);
  if (rows < 2 || keep >= columns || keep >= rows) return centred;
  // Randomised subspace iteration (Halko, Martinsson, Tropp 2011) on a sample of rows:
  // linear in the number of columns, where a full eigendecomposition of the covariance
  // is cubic (and LAPACK's float SSYEVD refuses 3,072 columns, a 32×32 colour image).
  const auto step = std::max<std::int64_t>(1, rows / sample_rows);
  const auto sample = centred.slice(0, 0, rows, step).to(at::kDouble);
  const auto width = std::min<std::int64_t>(keep + 10, std::min(columns, sample.size(0)));
  auto generator = at::detail::createCPUGenerator(/*seed_in=*/12345);  // the same graph every run
  auto basis = at::randn({columns, width}, generator, at::kDouble);
  auto range = std::get<0>(at::linalg_qr(at::mm(sample, basis)));
  for (int i = 0; i < 4; ++i) {
    basis = std::get<0>(at::linalg_qr(at::mm(sample.t(), range)));
    range = std::get<0>(at::linalg_qr(at::mm(sample, basis)));
  }
  const auto projected = at::mm(range.t(), sample);                        // width × columns
  const auto [values, vectors] = at::linalg_eigh(at::mm(projected, projected.t()));  // ascending
  const auto top = vectors.slice(1, width - keep, width).flip(1);          // width × keep
  auto components = at::mm(projected.t(), top);                            // columns × keep
  components = components / components.norm(2, 0, /*keepdim=*/true).clamp_min(1e-12);
  return at::mm(centred, components.to(x.scalar_type())).contiguous();
}

NeighbourLists nearest_neighbours(const at::Tensor& features, int k, std::int64_t max_candidates) {
  const auto x = features.to(at::kFloat).contiguous();
  const auto n = x.size(0);
  const auto stride = std::max<std::int64_t>(1, (n + max_candidates - 1) / std::max<std::int64_t>(max_candidates, 1));
  const auto candidates = x.slice(0, 0, n, stride);
  const auto m = candidates.size(0);
  NeighbourLists out;
  out.items = static_cast<std::size_t>(n);
  out.k = static_cast<int>(std::clamp<std::int64_t>(k, 0, std::max<std::int64_t>(m - 1, 0)));
  if (out.k == 0) return out;
  out.index.resize(static_cast<std::size_t>(n) * static_cast<std::size_t>(out.k));
  out.distance2.resize(out.index.size());
  const auto norms = x.pow(2).sum(1);
  const auto candidate_norms = candidates.pow(2).sum(1);
  // Rows per chunk so that one chunk's distance matrix stays near 256 MB.
  const std::int64_t chunk = std::clamp<std::int64_t>((std::int64_t{64} << 20) / std::max<std::int64_t>(m, 1), 16, 4096);
  for (std::int64_t begin = 0; begin < n; begin += chunk) {
    const auto end = std::min(begin + chunk, n);
    auto d2 = at::addmm(candidate_norms.unsqueeze(0), x.slice(0, begin, end), candidates.t(), /*beta=*/1, /*alpha=*/-2);
    d2.add_(norms.slice(0, begin, end).unsqueeze(1));
    // An item is not its own neighbour: rows that are candidates too exclude themselves.
    const auto rows = at::arange(begin, end, at::kLong);
    const auto own = rows.remainder(stride).eq(0);
    if (own.any().item<bool>()) {
      const auto local = at::arange(end - begin, at::kLong).masked_select(own);
      d2.index_put_({local, rows.masked_select(own).div(stride, "floor")}, INFINITY);
    }
    const auto [distance, index] = d2.topk(out.k, /*dim=*/1, /*largest=*/false, /*sorted=*/true);
    const auto d = distance.clamp_min(0).contiguous();
    const auto i = (index * stride).contiguous();
    const auto offset = static_cast<std::size_t>(begin) * static_cast<std::size_t>(out.k);
    std::copy_n(d.data_ptr<float>(), d.numel(), out.distance2.data() + offset);
    std::copy_n(i.data_ptr<std::int64_t>(), i.numel(), out.index.data() + offset);
  }
  return out;
}

}  // namespace lodestone::learning
