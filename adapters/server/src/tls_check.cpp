#include "tls_check.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fstream>
#include <memory>
#include <sstream>

namespace ix::server {
namespace {

struct BioFree { void operator()(BIO* b) const { BIO_free(b); } };
struct X509Free { void operator()(X509* x) const { X509_free(x); } };
struct KeyFree { void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); } };

Result<std::string> Slurp(const std::filesystem::path& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(StatusCode::kNotFound, what + ": cannot read '" + path.string() + "'");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::unique_ptr<BIO, BioFree> Bio(const std::string& pem) {
  return std::unique_ptr<BIO, BioFree>(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

std::unique_ptr<X509, X509Free> FirstCertificate(const std::string& pem) {
  auto bio = Bio(pem);
  return std::unique_ptr<X509, X509Free>(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

std::string AsText(const ASN1_TIME* time) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  ASN1_TIME_print(bio.get(), time);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

}  // namespace

Result<TlsMaterial> LoadTlsMaterial(const server_config::v1::Tls& files) {
  const std::string cert_what = "tls.cert (server certificate) '" + files.cert() + "'";
  const std::string key_what = "tls.key (server private key) '" + files.key() + "'";
  const std::string ca_what = "tls.client_ca '" + files.client_ca() + "'";
  TlsMaterial m;
  auto cert = Slurp(files.cert(), "tls.cert (server certificate)");
  if (!cert.ok()) return cert.status();
  auto key = Slurp(files.key(), "tls.key (server private key)");
  if (!key.ok()) return key.status();
  auto ca = Slurp(files.client_ca(), "tls.client_ca (CA of client certificates)");
  if (!ca.ok()) return ca.status();

  auto x509 = FirstCertificate(*cert);
  if (!x509) return Status(StatusCode::kInvalidArgument, cert_what + ": not a PEM certificate");
  if (X509_cmp_current_time(X509_get0_notAfter(x509.get())) <= 0) {
    return Status(StatusCode::kInvalidArgument,
                  cert_what + ": expired on " + AsText(X509_get0_notAfter(x509.get())));
  }
  if (X509_cmp_current_time(X509_get0_notBefore(x509.get())) > 0) {
    return Status(StatusCode::kInvalidArgument,
                  cert_what + ": not valid before " + AsText(X509_get0_notBefore(x509.get())));
  }
  auto key_bio = Bio(*key);
  std::unique_ptr<EVP_PKEY, KeyFree> pkey(
      PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  if (!pkey) {
    return Status(StatusCode::kInvalidArgument,
                  key_what + ": not an unencrypted PEM private key");
  }
  if (X509_check_private_key(x509.get(), pkey.get()) != 1) {
    return Status(StatusCode::kInvalidArgument,
                  key_what + ": does not belong to the certificate " + files.cert());
  }
  if (!FirstCertificate(*ca)) {
    return Status(StatusCode::kInvalidArgument, ca_what + ": holds no PEM certificate");
  }
  m.cert_chain = std::move(*cert);
  m.private_key = std::move(*key);
  m.client_ca = std::move(*ca);
  return m;
}

}  // namespace ix::server
