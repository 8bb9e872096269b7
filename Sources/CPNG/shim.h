#ifndef KGFUSE_CPNG_SHIM_H
#define KGFUSE_CPNG_SHIM_H
/*
 * libpng reports errors by longjmp, which Swift cannot catch. These static inline wrappers own the setjmp,
 * read from and write to memory, and turn every libpng error into a return value of 0 plus a message.
 * See http://www.libpng.org/pub/png/libpng-manual.txt, sections III (reading) and IV (writing).
 */
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

/* A decoded image: 8-bit or 16-bit (big-endian) samples, interleaved, rows top to bottom. */
typedef struct {
    unsigned int width;
    unsigned int height;
    unsigned int channels;   /* 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA (after png_set_expand) */
    unsigned int bitDepth;   /* 8 or 16 */
    unsigned char *pixels;   /* width * height * channels * bitDepth / 8 bytes; free with kgfuse_png_free */
    char message[256];       /* why decoding failed */
} kgfuse_png_image;

/* An encoded PNG in memory. */
typedef struct {
    unsigned char *data;     /* free with kgfuse_png_free */
    size_t size;
    size_t capacity;
    char message[256];
} kgfuse_png_buffer;

typedef struct {
    const unsigned char *data;
    size_t size;
    size_t offset;
} kgfuse_png_source;

static inline void kgfuse_png_free(void *pointer) { free(pointer); }

static inline void kgfuse_png_on_error(png_structp png, png_const_charp message) {
    char *target = (char *)png_get_error_ptr(png);
    if (target != NULL) {
        strncpy(target, message, 255);
        target[255] = 0;
    }
    png_longjmp(png, 1);
}

static inline void kgfuse_png_on_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

static inline void kgfuse_png_read_memory(png_structp png, png_bytep out, size_t length) {
    kgfuse_png_source *source = (kgfuse_png_source *)png_get_io_ptr(png);
    if (source->size - source->offset < length) {
        png_error(png, "file ends early (truncated PNG)");
    }
    memcpy(out, source->data + source->offset, length);
    source->offset += length;
}

/* Decodes a PNG of any colour type and depth into gray, gray+alpha, RGB or RGBA at 8 or 16 bits:
 * png_set_expand turns palette into RGB, gray below 8 bits into 8 bits, and tRNS into an alpha channel;
 * interlaced images are de-interlaced. Returns 1 on success, 0 with image->message set on failure. */
static inline int kgfuse_png_decode(const unsigned char *data, size_t size, kgfuse_png_image *image) {
    memset(image, 0, sizeof(*image));
    if (size < 8 || png_sig_cmp((png_const_bytep)data, 0, 8) != 0) {
        strcpy(image->message, size < 8 ? "file is shorter than the 8-byte PNG signature" : "bad PNG signature");
        return 0;
    }
    kgfuse_png_source source = {data, size, 0};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, image->message, kgfuse_png_on_error,
                                             kgfuse_png_on_warning);
    if (png == NULL) {
        strcpy(image->message, "libpng could not allocate a read structure");
        return 0;
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        strcpy(image->message, "libpng could not allocate an info structure");
        return 0;
    }
    png_bytep *volatile rows = NULL;
    if (setjmp(png_jmpbuf(png))) {
        free(rows);
        free(image->pixels);
        image->pixels = NULL;
        png_destroy_read_struct(&png, &info, NULL);
        return 0;
    }
    png_set_read_fn(png, &source, kgfuse_png_read_memory);
    png_set_user_limits(png, 1u << 15, 1u << 15);
    png_read_info(png, info);
    png_set_expand(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    image->width = png_get_image_width(png, info);
    image->height = png_get_image_height(png, info);
    image->channels = png_get_channels(png, info);
    image->bitDepth = png_get_bit_depth(png, info);
    if ((size_t)image->width * image->height > ((size_t)1 << 26)) {
        png_error(png, "image larger than 2^26 pixels");
    }
    size_t rowBytes = png_get_rowbytes(png, info);
    if (rowBytes != (size_t)image->width * image->channels * (image->bitDepth / 8)) {
        png_error(png, "unexpected row size after expansion");
    }
    image->pixels = (unsigned char *)malloc(rowBytes * image->height);
    rows = (png_bytep *)malloc(sizeof(png_bytep) * image->height);
    if (image->pixels == NULL || rows == NULL) {
        png_error(png, "out of memory for the pixels");
    }
    for (unsigned int row = 0; row < image->height; row++) {
        rows[row] = image->pixels + row * rowBytes;
    }
    png_read_image(png, rows);
    png_read_end(png, NULL);
    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    return 1;
}

static inline void kgfuse_png_write_memory(png_structp png, png_bytep data, size_t length) {
    kgfuse_png_buffer *buffer = (kgfuse_png_buffer *)png_get_io_ptr(png);
    if (buffer->size + length > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity : 4096;
        while (capacity < buffer->size + length) capacity *= 2;
        unsigned char *grown = (unsigned char *)realloc(buffer->data, capacity);
        if (grown == NULL) png_error(png, "out of memory for the encoded PNG");
        buffer->data = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->size, data, length);
    buffer->size += length;
}

static inline void kgfuse_png_flush_memory(png_structp png) { (void)png; }

/* Encodes interleaved samples (16-bit ones big-endian) as a non-interlaced PNG of colour type gray (1 channel),
 * gray+alpha (2), RGB (3) or RGBA (4). Returns 1 on success, 0 with buffer->message set on failure. */
static inline int kgfuse_png_encode(const unsigned char *pixels, unsigned int width, unsigned int height,
                                    unsigned int channels, unsigned int bitDepth, kgfuse_png_buffer *buffer) {
    memset(buffer, 0, sizeof(*buffer));
    int colorType;
    switch (channels) {
    case 1: colorType = PNG_COLOR_TYPE_GRAY; break;
    case 2: colorType = PNG_COLOR_TYPE_GRAY_ALPHA; break;
    case 3: colorType = PNG_COLOR_TYPE_RGB; break;
    case 4: colorType = PNG_COLOR_TYPE_RGB_ALPHA; break;
    default: strcpy(buffer->message, "PNG holds 1 to 4 channels"); return 0;
    }
    if (bitDepth != 8 && bitDepth != 16) {
        strcpy(buffer->message, "bit depth must be 8 or 16");
        return 0;
    }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, buffer->message, kgfuse_png_on_error,
                                              kgfuse_png_on_warning);
    if (png == NULL) {
        strcpy(buffer->message, "libpng could not allocate a write structure");
        return 0;
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        strcpy(buffer->message, "libpng could not allocate an info structure");
        return 0;
    }
    if (setjmp(png_jmpbuf(png))) {
        free(buffer->data);
        buffer->data = NULL;
        buffer->size = 0;
        png_destroy_write_struct(&png, &info);
        return 0;
    }
    png_set_write_fn(png, buffer, kgfuse_png_write_memory, kgfuse_png_flush_memory);
    png_set_IHDR(png, info, width, height, (int)bitDepth, colorType, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    size_t rowBytes = (size_t)width * channels * (bitDepth / 8);
    for (unsigned int row = 0; row < height; row++) {
        png_write_row(png, (png_const_bytep)(pixels + row * rowBytes));
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return 1;
}

#endif
