# The provider's first-generation names: kubernetes_deployment and
# kubernetes_secret, keys read through secret_key_ref.
resource "kubernetes_secret" "aws" {
  metadata {
    name      = "aws-credentials"
    namespace = "legacy"
  }
  data = {
    AWS_ACCESS_KEY_ID     = var.aws_access_key_id
    AWS_SECRET_ACCESS_KEY = var.aws_secret_access_key
  }
}

resource "kubernetes_deployment" "sync" {
  metadata {
    name      = "sync"
    namespace = "legacy"
  }
  spec {
    selector {
      match_labels = { app = "sync" }
    }
    template {
      metadata {
        labels = { app = "sync" }
      }
      spec {
        container {
          name  = "sync"
          image = "ghcr.io/example/sync:0.4"
          env {
            name = "AWS_ACCESS_KEY_ID"
            value_from {
              secret_key_ref {
                name = kubernetes_secret.aws.metadata[0].name
                key  = "AWS_ACCESS_KEY_ID"
              }
            }
          }
          env {
            name = "AWS_SECRET_ACCESS_KEY"
            value_from {
              secret_key_ref {
                name = "aws-credentials"
                key  = "AWS_SECRET_ACCESS_KEY"
              }
            }
          }
        }
      }
    }
  }
}
