// Input for the cc1plus benchmark (`Benchmarks/compare --real-world`): a self-contained C++17
// translation unit (the AVR toolchain ships no C++ library, so no #include) that exercises the
// front end's template instantiation, constexpr evaluation, overload resolution and the optimizer.

typedef unsigned int size_type;
typedef unsigned char byte;

namespace meta {
template <typename T, T V> struct constant { static constexpr T value = V; };
using true_type = constant<bool, true>;
using false_type = constant<bool, false>;

template <typename A, typename B> struct same : false_type {};
template <typename A> struct same<A, A> : true_type {};
template <typename A, typename B> constexpr bool same_v = same<A, B>::value;

template <bool C, typename T = void> struct enable_if {};
template <typename T> struct enable_if<true, T> { using type = T; };
template <bool C, typename T = void> using enable_if_t = typename enable_if<C, T>::type;

template <typename T> struct remove_ref { using type = T; };
template <typename T> struct remove_ref<T&> { using type = T; };
template <typename T> struct remove_ref<T&&> { using type = T; };
template <typename T> using remove_ref_t = typename remove_ref<T>::type;

template <typename T> constexpr remove_ref_t<T>&& move(T&& value) noexcept {
    return static_cast<remove_ref_t<T>&&>(value);
}
template <typename T> constexpr T&& forward(remove_ref_t<T>& value) noexcept {
    return static_cast<T&&>(value);
}

template <typename... Ts> struct list {};
template <typename L> struct length;
template <typename... Ts> struct length<list<Ts...>> : constant<size_type, sizeof...(Ts)> {};

template <typename T, typename L> struct index_of;
template <typename T, typename... Ts> struct index_of<T, list<T, Ts...>> : constant<size_type, 0> {};
template <typename T, typename U, typename... Ts> struct index_of<T, list<U, Ts...>>
    : constant<size_type, 1 + index_of<T, list<Ts...>>::value> {};

template <size_type... Sizes> struct max_of;
template <size_type S> struct max_of<S> : constant<size_type, S> {};
template <size_type S, size_type... Rest> struct max_of<S, Rest...>
    : constant<size_type, (S > max_of<Rest...>::value ? S : max_of<Rest...>::value)> {};
} // namespace meta

template <typename T, size_type N> struct array {
    T items[N];
    constexpr T& operator[](size_type i) { return items[i]; }
    constexpr const T& operator[](size_type i) const { return items[i]; }
    constexpr size_type size() const { return N; }
    constexpr T* begin() { return items; }
    constexpr T* end() { return items + N; }
    constexpr const T* begin() const { return items; }
    constexpr const T* end() const { return items + N; }
};

template <typename T, typename Less> constexpr void insertion_sort(T* first, T* last, Less less) {
    for (T* i = first + 1; i < last; ++i) {
        T value = meta::move(*i);
        T* j = i;
        for (; j > first && less(value, *(j - 1)); --j) *j = meta::move(*(j - 1));
        *j = meta::move(value);
    }
}

constexpr array<unsigned, 16> sorted_squares() {
    array<unsigned, 16> out{};
    for (unsigned i = 0; i < 16; ++i) out[i] = (i * 7919u) % 97u * ((i * 7919u) % 97u);
    insertion_sort(out.begin(), out.end(), [](unsigned a, unsigned b) { return a < b; });
    return out;
}
static_assert(sorted_squares()[0] <= sorted_squares()[15], "sorted at compile time");

constexpr unsigned long crc_step(unsigned long crc) {
    for (int k = 0; k < 8; ++k) crc = (crc & 1) ? (crc >> 1) ^ 0xEDB88320ul : crc >> 1;
    return crc;
}
template <size_type... I> struct crc_table_builder {
    static constexpr unsigned long table[sizeof...(I)] = {crc_step(I)...};
};
template <size_type N, size_type... I> struct make_crc : make_crc<N - 1, N - 1, I...> {};
template <size_type... I> struct make_crc<0, I...> : crc_table_builder<I...> {};
using crc_table = make_crc<64>;

unsigned long crc32(const byte* data, size_type length) {
    unsigned long crc = 0xFFFFFFFFul;
    for (size_type i = 0; i < length; ++i) crc = crc_table::table[(crc ^ data[i]) & 63] ^ (crc >> 6);
    return ~crc;
}

template <typename... Ts> class variant {
    static constexpr size_type storage_size = meta::max_of<sizeof(Ts)...>::value;
    alignas(8) byte storage[storage_size];
    size_type tag;

    template <typename T> T* as() { return reinterpret_cast<T*>(storage); }
    template <typename T> const T* as() const { return reinterpret_cast<const T*>(storage); }

public:
    template <typename T, typename = meta::enable_if_t<(meta::same_v<meta::remove_ref_t<T>, Ts> || ...)>>
    variant(T&& value) : tag(meta::index_of<meta::remove_ref_t<T>, meta::list<Ts...>>::value) {
        new (storage) meta::remove_ref_t<T>(meta::forward<T>(value));
    }
    template <typename T> bool holds() const {
        return tag == meta::index_of<T, meta::list<Ts...>>::value;
    }
    template <typename T> const T& get() const { return *as<T>(); }
    template <typename Visitor> auto visit(Visitor&& visitor) const {
        return visit_at<Visitor, Ts...>(meta::forward<Visitor>(visitor), 0);
    }

private:
    template <typename Visitor, typename First, typename... Rest>
    auto visit_at(Visitor&& visitor, size_type index) const {
        if constexpr (sizeof...(Rest) == 0) {
            return visitor(*as<First>());
        } else {
            if (index == tag) return visitor(*as<First>());
            return visit_at<Visitor, Rest...>(meta::forward<Visitor>(visitor), index + 1);
        }
    }
};

inline void* operator new(decltype(sizeof(0)), void* place) noexcept { return place; }

struct integer { long value; };
struct ratio { long numerator, denominator; };
struct name { const char* text; size_type length; };
using token = variant<integer, ratio, name>;

template <typename... Fs> struct overloaded : Fs... { using Fs::operator()...; };
template <typename... Fs> overloaded(Fs...) -> overloaded<Fs...>;

long weigh(const token& t) {
    return t.visit(overloaded{
        [](const integer& i) { return i.value; },
        [](const ratio& r) { return r.denominator ? r.numerator / r.denominator : 0L; },
        [](const name& n) { return static_cast<long>(n.length); },
    });
}

class shape {
public:
    virtual ~shape() = default;
    virtual long area() const = 0;
    virtual long perimeter() const = 0;
    virtual const char* kind() const { return "shape"; }
};

template <typename Derived> class counted : public shape {
public:
    long perimeter() const override { return static_cast<const Derived*>(this)->sides() * 2; }
};

class rectangle final : public counted<rectangle> {
    long w, h;
public:
    rectangle(long w, long h) : w(w), h(h) {}
    long area() const override { return w * h; }
    long sides() const { return w + h; }
    const char* kind() const override { return "rectangle"; }
};

class square final : public counted<square> {
    long s;
public:
    explicit square(long s) : s(s) {}
    long area() const override { return s * s; }
    long sides() const { return 2 * s; }
};

template <typename T, size_type Capacity> class small_vector {
    T items[Capacity];
    size_type count = 0;
public:
    bool push(const T& value) {
        if (count == Capacity) return false;
        items[count++] = value;
        return true;
    }
    template <typename... Args> bool emplace(Args&&... args) { return push(T{meta::forward<Args>(args)...}); }
    size_type size() const { return count; }
    const T& operator[](size_type i) const { return items[i]; }
    template <typename F> void for_each(F&& f) const { for (size_type i = 0; i < count; ++i) f(items[i]); }
    template <typename F> auto fold(long initial, F&& f) const {
        long acc = initial;
        for_each([&](const T& item) { acc = f(acc, item); });
        return acc;
    }
};

struct point { long x, y; };
inline point operator+(point a, point b) { return {a.x + b.x, a.y + b.y}; }
inline point operator*(point a, long k) { return {a.x * k, a.y * k}; }
inline bool operator==(point a, point b) { return a.x == b.x && a.y == b.y; }

template <typename... Args> constexpr long sum(Args... args) { return (0L + ... + args); }
template <typename... Args> constexpr long product(Args... args) { return (1L * ... * args); }
static_assert(sum(1, 2, 3, 4) == 10 && product(1, 2, 3, 4) == 24, "folds");

template <long N> struct fibonacci : meta::constant<long, fibonacci<N - 1>::value + fibonacci<N - 2>::value> {};
template <> struct fibonacci<0> : meta::constant<long, 0> {};
template <> struct fibonacci<1> : meta::constant<long, 1> {};
static_assert(fibonacci<40>::value == 102334155L, "instantiated recursively");

class tokenizer {
    const char* cursor;
    const char* end;
    static bool digit(char c) { return c >= '0' && c <= '9'; }
    static bool letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
public:
    tokenizer(const char* text, size_type length) : cursor(text), end(text + length) {}
    bool done() const { return cursor >= end; }
    token next() {
        while (cursor < end && *cursor == ' ') ++cursor;
        if (cursor < end && digit(*cursor)) {
            long value = 0;
            while (cursor < end && digit(*cursor)) value = value * 10 + (*cursor++ - '0');
            if (cursor < end && *cursor == '/') {
                ++cursor;
                long denominator = 0;
                while (cursor < end && digit(*cursor)) denominator = denominator * 10 + (*cursor++ - '0');
                return token(ratio{value, denominator});
            }
            return token(integer{value});
        }
        const char* start = cursor;
        while (cursor < end && (letter(*cursor) || digit(*cursor))) ++cursor;
        if (cursor == start) ++cursor;
        return token(name{start, static_cast<size_type>(cursor - start)});
    }
};

long score(const char* text, size_type length) {
    tokenizer lexer(text, length);
    small_vector<long, 32> weights;
    while (!lexer.done()) weights.push(weigh(lexer.next()));
    return weights.fold(0, [](long acc, long w) { return acc * 31 + w; });
}

long shapes_total(long n) {
    rectangle r(n, n + 1);
    square s(n + 2);
    const shape* all[] = {&r, &s};
    long total = 0;
    for (const shape* each : all) total += each->area() + each->perimeter() + each->kind()[0];
    return total;
}

struct matrix2 {
    long a, b, c, d;
    constexpr matrix2 operator*(const matrix2& o) const {
        return {a * o.a + b * o.c, a * o.b + b * o.d, c * o.a + d * o.c, c * o.b + d * o.d};
    }
};
constexpr matrix2 power(matrix2 m, unsigned n) {
    matrix2 result{1, 0, 0, 1};
    while (n) {
        if (n & 1) result = result * m;
        m = m * m;
        n >>= 1;
    }
    return result;
}
static_assert(power({1, 1, 1, 0}, 30).b == 832040, "constexpr loops");

template <typename T> struct span {
    T* data;
    size_type length;
    template <typename F> void sort(F less) { insertion_sort(data, data + length, less); }
    auto reduce() const {
        T acc{};
        for (size_type i = 0; i < length; ++i) acc = acc + data[i];
        return acc;
    }
};

point walk(point* points, size_type count) {
    span<point> all{points, count};
    all.sort([](point a, point b) { return a.x * a.x + a.y * a.y < b.x * b.x + b.y * b.y; });
    return all.reduce() * 2;
}

extern "C" long run(const char* text, size_type length, point* points, size_type count) {
    auto [x, y] = walk(points, count);
    return score(text, length) + shapes_total(static_cast<long>(length)) + x - y +
           static_cast<long>(crc32(reinterpret_cast<const byte*>(text), length)) +
           sorted_squares()[static_cast<size_type>(length) & 15] + fibonacci<25>::value;
}
