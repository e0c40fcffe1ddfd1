/* stb_image_resize compiled here, instrumented, so the fuzzer sees coverage inside the
   resampling of every decoded image. (Decoding is libpng's and libjpeg-turbo's.) */
#define STB_IMAGE_RESIZE_IMPLEMENTATION
#include <stb/stb_image_resize.h>
