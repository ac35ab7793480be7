// cpu_features: what the processor running neardup can do, for the hot
// loops that choose a version at run time (each has a portable twin, and
// tests compare them). Each answer is read once per process.
#ifndef NEARDUP_CPU_FEATURES_H_
#define NEARDUP_CPU_FEATURES_H_

namespace neardup {

inline bool CpuHasAvx2() {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}
inline bool CpuHasAvx512() {  // AVX-512F
  static const bool has = __builtin_cpu_supports("avx512f");
  return has;
}
inline bool CpuHasVp2intersect() {
  static const bool has = __builtin_cpu_supports("avx512vp2intersect");
  return has;
}

}  // namespace neardup

#endif  // NEARDUP_CPU_FEATURES_H_
