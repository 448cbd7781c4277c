/* A host written in plain C11 that uses nothing but <ix/plugin.h>: dlopen, negotiate, call
 * validate with hand-encoded protobuf bytes, check the answer, free, release.
 * Proves the ABI is usable from C and that the header needs no C++.
 * Built twice: against the current header, and against the frozen copy of the 1.0 header
 * (tests/abi/abi-1.0) — a host compiled before 1.1 existed must keep loading new plugins,
 * negotiating 1.0, and reading its error messages as text.
 * Usage: ix_c_host PLUGIN.so   (exit 0 when every check passes) */
#include <ix/plugin.h>

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

static int failures = 0;
#define CHECK(cond, what)                                     \
  do {                                                        \
    if (!(cond)) {                                            \
      fprintf(stderr, "FAILED: %s (line %d)\n", what, __LINE__); \
      ++failures;                                             \
    } else {                                                  \
      printf("ok: %s\n", what);                               \
    }                                                         \
  } while (0)

/* --- a minimal protobuf wire-format writer --------------------------------------------- */
typedef struct {
  uint8_t data[1024];
  size_t size;
} buf;

static void put_varint(buf *b, uint64_t v) {
  while (v >= 0x80) {
    b->data[b->size++] = (uint8_t)(v | 0x80);
    v >>= 7;
  }
  b->data[b->size++] = (uint8_t)v;
}
static void put_bytes(buf *b, unsigned field, const void *p, size_t n) {
  put_varint(b, (field << 3) | 2);
  put_varint(b, n);
  memcpy(b->data + b->size, p, n);
  b->size += n;
}
static void put_string(buf *b, unsigned field, const char *s) { put_bytes(b, field, s, strlen(s)); }
static void put_message(buf *b, unsigned field, const buf *m) { put_bytes(b, field, m->data, m->size); }
static void put_enum(buf *b, unsigned field, uint64_t v) {
  put_varint(b, field << 3);
  put_varint(b, v);
}

/* ix.v1.ValidateRequest{response{instrument{id, version}, household{one adult}}, as_of_date} */
static void build_request(buf *out, const char *version) {
  buf ref = {{0}, 0}, person = {{0}, 0}, household = {{0}, 0}, response = {{0}, 0};
  put_string(&ref, 1, "instrument-x");
  put_string(&ref, 2, version);
  put_string(&person, 1, "p1");
  put_string(&person, 2, "19850312-1231");
  put_enum(&person, 3, 1); /* SEX_FEMALE */
  put_enum(&person, 5, 1); /* HOUSEHOLD_ROLE_REGISTERLEDARE */
  put_string(&household, 1, "hh-c-host");
  put_message(&household, 3, &person);
  put_message(&response, 2, &ref);
  put_message(&response, 3, &household);
  out->size = 0;
  put_message(out, 1, &response);
  put_string(out, 2, "2025-06-01");
}

/* --- a minimal reader: counts occurrences of a field, reads a varint field ---------------- */
static int read_varint(const uint8_t *p, size_t n, size_t *i, uint64_t *v) {
  unsigned shift = 0;
  *v = 0;
  while (*i < n && shift < 64) {
    uint8_t byte = p[(*i)++];
    *v |= (uint64_t)(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return 1;
    shift += 7;
  }
  return 0;
}
/* Returns the number of top-level occurrences of `field`; *varint_value gets the last varint. */
static int scan(const uint8_t *p, size_t n, unsigned field, uint64_t *varint_value) {
  size_t i = 0;
  int count = 0;
  while (i < n) {
    uint64_t key, v;
    if (!read_varint(p, n, &i, &key)) return -1;
    if ((key & 7) == 0) {
      if (!read_varint(p, n, &i, &v)) return -1;
      if ((key >> 3) == field) {
        ++count;
        if (varint_value) *varint_value = v;
      }
    } else if ((key & 7) == 2) {
      if (!read_varint(p, n, &i, &v) || i + v > n) return -1;
      if ((key >> 3) == field) ++count;
      i += (size_t)v;
    } else {
      return -1;
    }
  }
  return count;
}

static int contains(const uint8_t *p, size_t n, const char *needle) {
  size_t i, m = strlen(needle);
  for (i = 0; i + m <= n; ++i) {
    if (memcmp(p + i, needle, m) == 0) return 1;
  }
  return 0;
}

static void log_to_stdout(void *user_data, ix_log_level level, const char *message, size_t length) {
  (void)user_data;
  printf("plugin log [%d]: %.*s\n", (int)level, (int)length, message);
}

int main(int argc, char **argv) {
  void *library;
  ix_plugin_entry_fn entry;
  const ix_plugin *plugin = NULL;
  ix_host_services services;
  ix_abi_offer offer;
  char error[256];
  buf request;
  ix_buffer out = {NULL, 0};
  ix_status rc;
  uint64_t valid = 99;
  int problems;

  if (argc != 2) {
    fprintf(stderr, "usage: %s PLUGIN.so\n", argv[0]);
    return 2;
  }
  library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (library == NULL) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    return 1;
  }
  /* POSIX allows this conversion; memcpy keeps -pedantic quiet about object->function casts. */
  {
    void *symbol = dlsym(library, IX_PLUGIN_ENTRY_SYMBOL);
    CHECK(symbol != NULL, "entry symbol found");
    if (symbol == NULL) return 1;
    memcpy(&entry, &symbol, sizeof entry);
  }

  services.struct_size = sizeof services;
  services.user_data = NULL;
  services.log = log_to_stdout;
  offer.struct_size = sizeof offer;
  offer.host = &services;
#if IX_ABI_MINOR >= 1
  /* A 1.1 host says how it wants errors; this one reads them as text, like a 1.0 host. */
  offer.error_format = IX_ERROR_FORMAT_TEXT;
#endif

  /* A host that speaks another major is refused with a message naming both versions. */
  offer.abi_major = 2;
  offer.min_minor = 0;
  offer.max_minor = 0;
  error[0] = '\0';
  rc = entry(&offer, &plugin, error, sizeof error);
  CHECK(rc == IX_ERR_INCOMPATIBLE_ABI, "major 2 refused");
  CHECK(strstr(error, "2.0") != NULL && strstr(error, "1.0") != NULL, "refusal names both versions");
  printf("refusal: %s\n", error);

  offer.abi_major = IX_ABI_MAJOR;
  offer.min_minor = 0;
  offer.max_minor = IX_ABI_MINOR;
  rc = entry(&offer, &plugin, error, sizeof error);
  CHECK(rc == IX_OK && plugin != NULL, "negotiated");
  if (plugin == NULL) return 1;
  CHECK(plugin->struct_size >= sizeof(ix_plugin), "table is complete");
  CHECK(plugin->abi_major == IX_ABI_MAJOR, "ABI major agrees");
  CHECK(plugin->abi_minor == IX_ABI_MINOR, "the plugin chose the newest minor this host knows");
  printf("negotiated ABI %u.%u\n", (unsigned)plugin->abi_major, (unsigned)plugin->abi_minor);
  CHECK(plugin->instrument_count >= 1, "plugin carries at least one instrument");
  printf("plugin %s %s carries %s\n", plugin->plugin_name, plugin->plugin_version,
         plugin->instruments[0]);

  /* A household with one adult and no answers: 19 required answers are missing — in 2024.1
   * three household items (income total, housing cost, housing type) and 16 asked of the
   * adult (citizenship, occupation, education, the six AM ratings, work capacity, and the six
   * required plan items). Children's items are not required: there are no children. */
  build_request(&request, "2024.1");
  rc = plugin->validate(plugin->context, request.data, request.size, &out);
  CHECK(rc == IX_OK, "validate returns IX_OK for a readable request");
  problems = scan(out.data, out.size, 2, NULL);
  CHECK(scan(out.data, out.size, 1, &valid) == 0, "valid is false (field absent)");
  CHECK(problems == 19, "19 problems: the 19 required answers of 2024.1 for one adult");
  printf("problems: %d\n", problems);
  plugin->free_buffer(plugin->context, &out);
  CHECK(out.data == NULL && out.size == 0, "free_buffer zeroes the buffer");

  /* An unknown instrument version is an error status with a message naming it. */
  build_request(&request, "2099.1");
  rc = plugin->validate(plugin->context, request.data, request.size, &out);
  CHECK(rc == IX_ERR_NOT_FOUND, "unknown version is IX_ERR_NOT_FOUND");
  CHECK(out.size > 0 && memchr(out.data, '2', out.size) != NULL, "message present");
  {
    /* Text, not a serialized message: printable UTF-8 that names the version asked for. */
    size_t i;
    int printable = out.size > 0;
    for (i = 0; i < out.size; ++i) printable = printable && (out.data[i] >= 0x20 || out.data[i] == '\t');
    CHECK(printable, "the error buffer is text");
    CHECK(out.size >= 6 && contains(out.data, out.size, "2099.1"), "the text names the version");
  }
  printf("message: %.*s\n", (int)out.size, (const char *)out.data);
  plugin->free_buffer(plugin->context, &out);

  /* Malformed bytes. */
  {
    const uint8_t garbage[] = {0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01};
    rc = plugin->validate(plugin->context, garbage, sizeof garbage, &out);
    CHECK(rc == IX_ERR_MALFORMED_REQUEST, "malformed bytes are IX_ERR_MALFORMED_REQUEST");
    printf("message: %.*s\n", (int)out.size, (const char *)out.data);
    plugin->free_buffer(plugin->context, &out);
  }

  CHECK(plugin->get_extension(plugin->context, "ix.no-such-extension/1") == NULL,
        "unknown extension is NULL");
  plugin->release(plugin->context);
  dlclose(library);
  printf("c_host: %s\n", failures == 0 ? "all checks passed" : "checks FAILED");
  return failures == 0 ? 0 : 1;
}
