// N-API glue of the convolution kernels (conv.h): im2col, col2im, pool2d, pool2dBackward,
// biasActivation, biasActivationBackward. The geometry comes as an Int32Array of the 14 fields of
// ConvGeometry; every array size the kernel reads or writes is checked against it here, since a
// native write out of bounds would corrupt memory. Registered by addon.cc (register_conv_kernels).
#include "conv_addon.h"

#include <string>

#include "conv.h"

namespace deepwell {

namespace {

/** Arguments of one call, read in order; the first failure throws a RangeError and sticks. */
class Args {
 public:
  Args(napi_env env, napi_callback_info info, const char* fn, size_t count) : env_(env), fn_(fn) {
    argc_ = MAX_ARGS;
    napi_get_cb_info(env, info, &argc_, argv_, nullptr, nullptr);
    if (argc_ < count) fail("expected " + std::to_string(count) + " arguments, got " + std::to_string(argc_));
  }

  bool ok() const { return ok_; }

  /** A Float32Array of at least `need` elements (or null when `nullable`). */
  float* floats(size_t i, long need, const char* name, bool nullable = false) {
    if (!ok_) return nullptr;
    napi_valuetype vt;
    napi_typeof(env_, argv_[i], &vt);
    if (nullable && (vt == napi_null || vt == napi_undefined)) return nullptr;
    size_t length = 0;
    void* data = nullptr;
    if (!typed_array(i, napi_float32_array, &data, &length)) {
      fail(std::string(name) + " must be a Float32Array");
      return nullptr;
    }
    if (static_cast<long>(length) < need) {
      fail(std::string(name) + " has " + std::to_string(length) + " elements, expected at least " + std::to_string(need));
      return nullptr;
    }
    return static_cast<float*>(data);
  }

  /** A non-negative integer below 2^31. */
  long size(size_t i, const char* name) {
    double d = -1;
    if (ok_ && (napi_get_value_double(env_, argv_[i], &d) != napi_ok || !(d >= 0) || d != static_cast<double>(static_cast<long>(d)) || d > 2147483647.0)) {
      fail(std::string(name) + " must be an integer in [0, 2^31)");
    }
    return static_cast<long>(d);
  }

  double number(size_t i, const char* name) {
    double d = 0;
    if (ok_ && napi_get_value_double(env_, argv_[i], &d) != napi_ok) fail(std::string(name) + " must be a number");
    return d;
  }

  bool boolean(size_t i, const char* name) {
    bool b = false;
    if (ok_ && napi_get_value_bool(env_, argv_[i], &b) != napi_ok) fail(std::string(name) + " must be a boolean");
    return b;
  }

  Activation activation(size_t i) {
    char name[32] = {0};
    size_t len = 0;
    Activation act = Activation::linear;
    if (ok_ && (napi_get_value_string_utf8(env_, argv_[i], name, sizeof(name), &len) != napi_ok || !parse_activation(name, &act))) {
      fail(std::string("activation '") + name + "' is not one the native kernels apply");
    }
    return act;
  }

  /** The geometry from an Int32Array of CONV_GEOMETRY_FIELDS values (strides and dilations >= 1). */
  ConvGeometry geometry(size_t i) {
    ConvGeometry g{};
    if (!ok_) return g;
    size_t length = 0;
    void* data = nullptr;
    if (!typed_array(i, napi_int32_array, &data, &length) || length != CONV_GEOMETRY_FIELDS) {
      fail("geometry must be an Int32Array of 14 values");
      return g;
    }
    const int32_t* v = static_cast<const int32_t*>(data);
    long* fields[CONV_GEOMETRY_FIELDS] = {&g.batch, &g.in_h, &g.in_w, &g.in_c, &g.k_h, &g.k_w, &g.stride_h, &g.stride_w,
                                          &g.dilation_h, &g.dilation_w, &g.pad_top, &g.pad_left, &g.out_h, &g.out_w};
    for (int f = 0; f < CONV_GEOMETRY_FIELDS; f++) {
      if (v[f] < 0) fail("geometry field " + std::to_string(f) + " is negative");
      *fields[f] = v[f];
    }
    if (g.stride_h < 1 || g.stride_w < 1 || g.dilation_h < 1 || g.dilation_w < 1) fail("strides and dilations must be >= 1");
    return g;
  }

  void fail(const std::string& message) {
    if (!ok_) return;
    ok_ = false;
    napi_throw_range_error(env_, nullptr, (std::string(fn_) + ": " + message).c_str());
  }

 private:
  /** Whether argument i is a typed array of `want`; then its data (null when empty) and length. */
  bool typed_array(size_t i, napi_typedarray_type want, void** data, size_t* length) {
    bool typed = false;
    napi_is_typedarray(env_, argv_[i], &typed);
    napi_typedarray_type type;
    return typed && napi_get_typedarray_info(env_, argv_[i], &type, length, data, nullptr, nullptr) == napi_ok && type == want;
  }

  static constexpr size_t MAX_ARGS = 8;
  napi_env env_;
  const char* fn_;
  size_t argc_;
  napi_value argv_[MAX_ARGS];
  bool ok_ = true;
};

long input_size(const ConvGeometry& g) { return g.batch * g.in_h * g.in_w * g.in_c; }
long cols_size(const ConvGeometry& g) { return g.batch * g.out_h * g.out_w * g.k_h * g.k_w * g.in_c; }
long pooled_size(const ConvGeometry& g) { return g.batch * g.out_h * g.out_w * g.in_c; }

/** A kernel out = f(in) between an array of `in_size` and one of `out_size` floats (im2col, col2im). */
struct Rearrange {
  const char* name;
  void (*f)(const float*, const ConvGeometry&, float*);
  long (*in_size)(const ConvGeometry&);
  long (*out_size)(const ConvGeometry&);
};

const Rearrange IM2COL{"im2col", im2col, input_size, cols_size};
const Rearrange COL2IM{"col2im", col2im, cols_size, input_size};

/** im2col(x, geometry, out) and col2im(cols, geometry, out): the Rearrange is the function's data. */
napi_value RearrangeCall(napi_env env, napi_callback_info info) {
  void* data = nullptr;
  napi_get_cb_info(env, info, nullptr, nullptr, nullptr, &data);
  const Rearrange& r = *static_cast<const Rearrange*>(data);
  Args a(env, info, r.name, 3);
  const ConvGeometry g = a.geometry(1);
  const float* in = a.floats(0, r.in_size(g), "input");
  float* out = a.floats(2, r.out_size(g), "out");
  if (a.ok()) r.f(in, g, out);
  return nullptr;
}

const bool POOL_FORWARD = false;
const bool POOL_BACKWARD = true;

/**
 * pool2d(isMax, x, geometry, out) and pool2dBackward(isMax, x, dy, geometry, out): one callback,
 * whose data says which (the backward has dy before the geometry).
 */
napi_value PoolCall(napi_env env, napi_callback_info info) {
  void* data = nullptr;
  napi_get_cb_info(env, info, nullptr, nullptr, nullptr, &data);
  const bool backward = *static_cast<const bool*>(data);
  const size_t at = backward ? 1 : 0;  // shift of the arguments after x
  Args a(env, info, backward ? "pool2dBackward" : "pool2d", 4 + at);
  const bool is_max = a.boolean(0, "isMax");
  const ConvGeometry g = a.geometry(2 + at);
  const float* x = a.floats(1, input_size(g), "x");
  const float* dy = backward ? a.floats(2, pooled_size(g), "dy") : nullptr;
  float* out = a.floats(3 + at, backward ? input_size(g) : pooled_size(g), "out");
  if (!a.ok()) return nullptr;
  if (backward) pool2d_backward(is_max, x, dy, g, out); else pool2d(is_max, x, g, out);
  return nullptr;
}

/** The arguments 2 to 5 of biasActivation and its backward: rows, channels, activation, alpha. */
struct Epilogue {
  long rows, channels;
  Activation act;
  double alpha;
  long size() const { return rows * channels; }
};

Epilogue read_epilogue(Args& a) {
  const long rows = a.size(2, "rows"), channels = a.size(3, "channels");
  const Activation act = a.activation(4);
  return {rows, channels, act, a.number(5, "alpha")};
}

/** biasActivation(x, bias | null, rows, channels, activation, alpha, out). */
napi_value BiasActivation(napi_env env, napi_callback_info info) {
  Args a(env, info, "biasActivation", 7);
  const Epilogue e = read_epilogue(a);
  const float* x = a.floats(0, e.size(), "x");
  const float* bias = a.floats(1, e.channels, "bias", true);
  float* out = a.floats(6, e.size(), "out");
  if (a.ok()) bias_activation(x, bias, e.rows, e.channels, e.act, e.alpha, out);
  return nullptr;
}

/** biasActivationBackward(y, dy, rows, channels, activation, alpha, dz, db | null). */
napi_value BiasActivationBackward(napi_env env, napi_callback_info info) {
  Args a(env, info, "biasActivationBackward", 8);
  const Epilogue e = read_epilogue(a);
  const float* y = a.floats(0, e.size(), "y");
  const float* dy = a.floats(1, e.size(), "dy");
  float* dz = a.floats(6, e.size(), "dz");
  float* db = a.floats(7, e.channels, "db", true);
  if (a.ok()) bias_activation_backward(y, dy, e.rows, e.channels, e.act, e.alpha, dz, db);
  return nullptr;
}

}  // namespace

void register_conv_kernels(napi_env env, napi_value exports) {
  const struct { const char* name; napi_callback fn; const void* data; } FUNCTIONS[] = {
    {"im2col", RearrangeCall, &IM2COL}, {"col2im", RearrangeCall, &COL2IM}, {"pool2d", PoolCall, &POOL_FORWARD},
    {"pool2dBackward", PoolCall, &POOL_BACKWARD}, {"biasActivation", BiasActivation, nullptr},
    {"biasActivationBackward", BiasActivationBackward, nullptr},
  };
  for (const auto& f : FUNCTIONS) {
    napi_value value;
    napi_create_function(env, f.name, NAPI_AUTO_LENGTH, f.fn, const_cast<void*>(f.data), &value);
    napi_set_named_property(env, exports, f.name, value);
  }
}

}  // namespace deepwell
