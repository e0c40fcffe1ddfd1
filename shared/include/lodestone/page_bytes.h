#pragma once
// A byte vector for blobs of hundreds of megabytes that fill piece by piece (a million
// thumbnails: 784 MB). Its memory comes from calloc, which is zero by contract and which,
// for large blocks, maps fresh pages from the system without writing them; and resize
// leaves new elements as that memory holds them instead of writing zeros over it. So an
// empty million-item set costs nothing until tiles land, where std::vector's zero-fill
// took a second before a client could draw its first frame. (Growing again within the
// capacity after a shrink would expose the old bytes, not zeros: start from a fresh one.)
#include <cstdint>
#include <cstdlib>
#include <new>
#include <vector>

namespace lodestone {

template <class T>
struct ZeroPageAllocator {
  using value_type = T;
  ZeroPageAllocator() = default;
  template <class U>
  ZeroPageAllocator(const ZeroPageAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    if (void* p = std::calloc(n, sizeof(T))) return static_cast<T*>(p);
    throw std::bad_alloc();
  }
  void deallocate(T* p, std::size_t) noexcept { std::free(p); }
  // Value-initialisation would write zeros calloc already gave; default-initialise instead.
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(static_cast<Args&&>(args)...);
  }
  friend bool operator==(const ZeroPageAllocator&, const ZeroPageAllocator&) noexcept { return true; }
};

using PageBytes = std::vector<std::uint8_t, ZeroPageAllocator<std::uint8_t>>;

}  // namespace lodestone
