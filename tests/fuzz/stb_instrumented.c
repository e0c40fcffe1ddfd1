/* stb_image and stb_image_resize compiled here, instrumented, so the fuzzer sees coverage
   inside the decoders. The server links Debian's libstb built from the same headers. */
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_RESIZE_IMPLEMENTATION
#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>
