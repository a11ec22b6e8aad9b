// N-API glue of deepwell's native kernels (plain Node-API, version 8): the functions take the
// caller's Float32Arrays and work on their memory in place (no copies). The TypeScript wrapper
// (index.node.ts) checks dtypes; sizes are checked here again, since a native write out of
// bounds would corrupt memory.
#include <node_api.h>

#include <cmath>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "conv_addon.h"
#include "dense.h"
#include "gemm.h"
#include "norm.h"
#include "optimizers.h"
#include "parallel.h"

namespace {

constexpr size_t GEMM_ARGS = 10;

bool throw_error(napi_env env, const std::string& message) {
  napi_throw_range_error(env, nullptr, message.c_str());
  return false;
}

bool get_number(napi_env env, napi_value v, double* out, const char* name) {
  if (napi_get_value_double(env, v, out) != napi_ok) return throw_error(env, std::string("gemm: ") + name + " must be a number");
  return true;
}

bool get_bool(napi_env env, napi_value v, bool* out, const char* name) {
  if (napi_get_value_bool(env, v, out) != napi_ok) return throw_error(env, std::string("gemm: ") + name + " must be a boolean");
  return true;
}

bool get_size(napi_env env, napi_value v, long* out, const char* name) {
  double d;
  if (!get_number(env, v, &d, name)) return false;
  if (!(d >= 0) || d != std::floor(d) || d > 2147483647.0) {
    return throw_error(env, std::string("gemm: ") + name + " must be an integer in [0, 2^31), got " + std::to_string(d));
  }
  *out = static_cast<long>(d);
  return true;
}

/** The data of a Float32Array with at least `need` elements. */
bool get_floats(napi_env env, napi_value v, size_t need, float** out, const char* name) {
  bool is_typed = false;
  napi_is_typedarray(env, v, &is_typed);
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (!is_typed || napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr) != napi_ok
      || type != napi_float32_array) {
    return throw_error(env, std::string("gemm: ") + name + " must be a Float32Array");
  }
  if (length < need) {
    return throw_error(env, std::string("gemm: ") + name + " has " + std::to_string(length)
                                + " elements, expected at least " + std::to_string(need));
  }
  *out = static_cast<float*>(data);
  return true;
}

/** gemm(transA, transB, m, n, k, alpha, a, b, beta, c): C = alpha op(A) op(B) + beta C in place. */
napi_value Gemm(napi_env env, napi_callback_info info) {
  size_t argc = GEMM_ARGS;
  napi_value argv[GEMM_ARGS];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < GEMM_ARGS) {
    throw_error(env, "gemm: expected 10 arguments (transA, transB, m, n, k, alpha, a, b, beta, c), got " + std::to_string(argc));
    return nullptr;
  }
  bool ta, tb;
  long m, n, k;
  double alpha, beta;
  float *a, *b, *c;
  if (!get_bool(env, argv[0], &ta, "transA") || !get_bool(env, argv[1], &tb, "transB")
      || !get_size(env, argv[2], &m, "m") || !get_size(env, argv[3], &n, "n") || !get_size(env, argv[4], &k, "k")
      || !get_number(env, argv[5], &alpha, "alpha") || !get_number(env, argv[8], &beta, "beta")) {
    return nullptr;
  }
  const bool reads_ab = alpha != 0 && k > 0 && m > 0 && n > 0;
  if (!get_floats(env, argv[6], reads_ab ? static_cast<size_t>(m * k) : 0, &a, "a")
      || !get_floats(env, argv[7], reads_ab ? static_cast<size_t>(k * n) : 0, &b, "b")
      || !get_floats(env, argv[9], static_cast<size_t>(m * n), &c, "c")) {
    return nullptr;
  }
  try {
    deepwell::sgemm(ta, tb, m, n, k, static_cast<float>(alpha), a, b, static_cast<float>(beta), c);
  } catch (const std::bad_alloc&) {
    napi_throw_error(env, nullptr, "gemm: out of memory for the packed panels");
  }
  return nullptr;
}

/** A Float32Array with at least `need` elements, or null when `optional` and the value is null. */
bool get_floats_or_null(napi_env env, napi_value v, size_t need, float** out, const char* name) {
  napi_valuetype vt;
  napi_typeof(env, v, &vt);
  if (vt == napi_null || vt == napi_undefined) {
    *out = nullptr;
    return true;
  }
  return get_floats(env, v, need, out, name);
}

bool get_activation(napi_env env, napi_value v, deepwell::Activation* act) {
  char name[32] = {0};
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, name, sizeof(name), &len) != napi_ok || !deepwell::parse_activation(name, act)) {
    return throw_error(env, std::string("dense: activation '") + name + "' is not one the native kernels apply");
  }
  return true;
}

/** denseForward(x, w, b | null, rows, in, units, activation, alpha, y): y = act(x W + b). */
napi_value DenseForward(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < 9) {
    throw_error(env, "denseForward: expected 9 arguments (x, w, b, rows, in, units, activation, alpha, y)");
    return nullptr;
  }
  long rows, in, units;
  double alpha;
  deepwell::Activation act;
  float *x, *w, *b, *y;
  if (!get_size(env, argv[3], &rows, "rows") || !get_size(env, argv[4], &in, "in") || !get_size(env, argv[5], &units, "units")
      || !get_activation(env, argv[6], &act) || !get_number(env, argv[7], &alpha, "alpha")
      || !get_floats(env, argv[0], static_cast<size_t>(rows * in), &x, "x")
      || !get_floats(env, argv[1], static_cast<size_t>(in * units), &w, "w")
      || !get_floats_or_null(env, argv[2], static_cast<size_t>(units), &b, "b")
      || !get_floats(env, argv[8], static_cast<size_t>(rows * units), &y, "y")) {
    return nullptr;
  }
  try {
    deepwell::dense_forward(x, w, b, rows, in, units, act, alpha, y);
  } catch (const std::bad_alloc&) {
    napi_throw_error(env, nullptr, "denseForward: out of memory");
  }
  return nullptr;
}

/** denseBackward(x, w, y, dy, rows, in, units, activation, alpha, dx | null, dw | null, db | null). */
napi_value DenseBackward(napi_env env, napi_callback_info info) {
  size_t argc = 12;
  napi_value argv[12];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < 12) {
    throw_error(env, "denseBackward: expected 12 arguments (x, w, y, dy, rows, in, units, activation, alpha, dx, dw, db)");
    return nullptr;
  }
  long rows, in, units;
  double alpha;
  deepwell::Activation act;
  float *x, *w, *y, *dy, *dx, *dw, *db;
  if (!get_size(env, argv[4], &rows, "rows") || !get_size(env, argv[5], &in, "in") || !get_size(env, argv[6], &units, "units")
      || !get_activation(env, argv[7], &act) || !get_number(env, argv[8], &alpha, "alpha")
      || !get_floats(env, argv[0], static_cast<size_t>(rows * in), &x, "x")
      || !get_floats(env, argv[1], static_cast<size_t>(in * units), &w, "w")
      || !get_floats(env, argv[2], static_cast<size_t>(rows * units), &y, "y")
      || !get_floats(env, argv[3], static_cast<size_t>(rows * units), &dy, "dy")
      || !get_floats_or_null(env, argv[9], static_cast<size_t>(rows * in), &dx, "dx")
      || !get_floats_or_null(env, argv[10], static_cast<size_t>(in * units), &dw, "dw")
      || !get_floats_or_null(env, argv[11], static_cast<size_t>(units), &db, "db")) {
    return nullptr;
  }
  try {
    thread_local std::vector<float> dz;
    if (dz.size() < static_cast<size_t>(rows * units)) dz.resize(static_cast<size_t>(rows * units));
    deepwell::dense_backward(x, w, y, dy, rows, in, units, act, alpha, dz.data(), dx, dw, db);
  } catch (const std::bad_alloc&) {
    napi_throw_error(env, nullptr, "denseBackward: out of memory");
  }
  return nullptr;
}

/** The data of a Float32Array of exactly `n` elements (n < 0: any length, returned in *n). */
bool get_vector(napi_env env, napi_value v, long* n, float** out, const char* fn, const char* name) {
  bool is_typed = false;
  napi_is_typedarray(env, v, &is_typed);
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (!is_typed || napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr) != napi_ok
      || type != napi_float32_array) {
    return throw_error(env, std::string(fn) + ": " + name + " must be a Float32Array");
  }
  if (*n >= 0 && static_cast<long>(length) != *n) {
    return throw_error(env, std::string(fn) + ": " + name + " has " + std::to_string(length) + " elements, expected "
                                + std::to_string(*n) + " (the weight's)");
  }
  *n = static_cast<long>(length);
  *out = static_cast<float*>(data);
  return true;
}

/** adamUpdate(w, g, m, v, alpha, beta1, beta2, epsilon): one fused Adam pass, in place. */
napi_value AdamUpdate(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < 8) {
    throw_error(env, "adamUpdate: expected 8 arguments (w, g, m, v, alpha, beta1, beta2, epsilon)");
    return nullptr;
  }
  long n = -1;
  float *w, *g, *m, *v;
  double alpha, b1, b2, eps;
  if (!get_vector(env, argv[0], &n, &w, "adamUpdate", "w") || !get_vector(env, argv[1], &n, &g, "adamUpdate", "g")
      || !get_vector(env, argv[2], &n, &m, "adamUpdate", "m") || !get_vector(env, argv[3], &n, &v, "adamUpdate", "v")
      || !get_number(env, argv[4], &alpha, "alpha") || !get_number(env, argv[5], &b1, "beta1")
      || !get_number(env, argv[6], &b2, "beta2") || !get_number(env, argv[7], &eps, "epsilon")) {
    return nullptr;
  }
  deepwell::adam_update(w, g, m, v, n, alpha, b1, b2, eps);
  return nullptr;
}

/** sgdUpdate(w, g, velocity | null, lr, momentum, nesterov): one fused SGD pass, in place. */
napi_value SgdUpdate(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < 6) {
    throw_error(env, "sgdUpdate: expected 6 arguments (w, g, velocity, lr, momentum, nesterov)");
    return nullptr;
  }
  long n = -1;
  float *w, *g, *vel = nullptr;
  double lr, mu;
  bool nesterov;
  napi_valuetype vt;
  napi_typeof(env, argv[2], &vt);
  if (!get_vector(env, argv[0], &n, &w, "sgdUpdate", "w") || !get_vector(env, argv[1], &n, &g, "sgdUpdate", "g")
      || (vt != napi_null && !get_vector(env, argv[2], &n, &vel, "sgdUpdate", "velocity"))
      || !get_number(env, argv[3], &lr, "lr") || !get_number(env, argv[4], &mu, "momentum")
      || !get_bool(env, argv[5], &nesterov, "nesterov")) {
    return nullptr;
  }
  deepwell::sgd_update(w, g, vel, n, lr, mu, nesterov);
  return nullptr;
}

napi_value make_int(napi_env env, int v) {
  napi_value out;
  napi_create_int32(env, v, &out);
  return out;
}

napi_value make_string(napi_env env, const char* s) {
  napi_value out;
  napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &out);
  return out;
}

/** threads(): the thread count GEMM uses. */
napi_value Threads(napi_env env, napi_callback_info) { return make_int(env, deepwell::kernel_threads()); }

/** setThreads(n): sets it (n >= 1); returns the count in effect. */
napi_value SetThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  int32_t n = 1;
  if (argc < 1 || napi_get_value_int32(env, argv[0], &n) != napi_ok || n < 1 || n > 1024) {
    napi_throw_range_error(env, nullptr, "setThreads: expected an integer in [1, 1024]");
    return nullptr;
  }
  deepwell::set_kernel_threads(n);
  return make_int(env, deepwell::kernel_threads());
}

/** isa(): the micro-kernel in use ('avx512f', 'avx2+fma' or 'generic'). */
napi_value IsaName(napi_env env, napi_callback_info) { return make_string(env, deepwell::isa_name(deepwell::current_isa())); }

/** supportedIsas(): the micro-kernels this CPU runs, fastest first. */
napi_value SupportedIsas(napi_env env, napi_callback_info) {
  napi_value out;
  napi_create_array(env, &out);
  uint32_t i = 0;
  for (auto isa : {deepwell::Isa::avx512, deepwell::Isa::avx2, deepwell::Isa::generic}) {
    if (deepwell::isa_supported(isa)) napi_set_element(env, out, i++, make_string(env, deepwell::isa_name(isa)));
  }
  return out;
}

/** setIsa(name): forces a micro-kernel; returns false when the CPU lacks it. */
napi_value SetIsa(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  char name[32] = {0};
  size_t len = 0;
  if (argc < 1 || napi_get_value_string_utf8(env, argv[0], name, sizeof(name), &len) != napi_ok) {
    napi_throw_type_error(env, nullptr, "setIsa: expected a string");
    return nullptr;
  }
  bool ok = false;
  for (auto isa : {deepwell::Isa::avx512, deepwell::Isa::avx2, deepwell::Isa::generic}) {
    if (std::strcmp(name, deepwell::isa_name(isa)) == 0) ok = deepwell::set_isa(isa);
  }
  napi_value out;
  napi_get_boolean(env, ok, &out);
  return out;
}

void export_function(napi_env env, napi_value exports, const char* name, napi_callback fn) {
  napi_value f;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, nullptr, &f);
  napi_set_named_property(env, exports, name, f);
}

}  // namespace

NAPI_MODULE_INIT() {
  export_function(env, exports, "gemm", Gemm);
  export_function(env, exports, "denseForward", DenseForward);
  export_function(env, exports, "denseBackward", DenseBackward);
  export_function(env, exports, "adamUpdate", AdamUpdate);
  export_function(env, exports, "sgdUpdate", SgdUpdate);
  export_function(env, exports, "threads", Threads);
  export_function(env, exports, "setThreads", SetThreads);
  export_function(env, exports, "isa", IsaName);
  export_function(env, exports, "supportedIsas", SupportedIsas);
  export_function(env, exports, "setIsa", SetIsa);
  deepwell::register_conv_kernels(env, exports);
  deepwell::register_norm_kernels(env, exports);
  return exports;
}
