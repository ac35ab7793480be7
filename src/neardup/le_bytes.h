// le_bytes: fixed-size values appended to and read from byte strings, as
// the binary files of neardup (docs/formats.md) store them: in the host's
// order, which is little-endian on the machines it supports (x86-64,
// arm64). Shared by the lexicon index (line_index) and the seen cache.
#ifndef NEARDUP_LE_BYTES_H_
#define NEARDUP_LE_BYTES_H_

#include <cstring>
#include <string>
#include <string_view>

namespace neardup {

// Appends v's bytes to *out.
template <typename T>
void PutLe(std::string* out, T v) {
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));
  out->append(b, sizeof(T));
}

// Reads a T from the front of *in and drops its bytes; false when *in is
// too short.
template <typename T>
bool GetLe(std::string_view* in, T* v) {
  if (in->size() < sizeof(T)) return false;
  std::memcpy(v, in->data(), sizeof(T));
  in->remove_prefix(sizeof(T));
  return true;
}

}  // namespace neardup

#endif  // NEARDUP_LE_BYTES_H_
