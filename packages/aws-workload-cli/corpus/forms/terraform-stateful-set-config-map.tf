# kubernetes_stateful_set (first generation) taking every key of a config
# map that holds a key pair.
resource "kubernetes_config_map_v1" "queue_env" {
  metadata {
    name      = "queue-env"
    namespace = "queue"
  }
  data = {
    AWS_ACCESS_KEY_ID     = "AKIAIOSFODNN7EXAMPLE"
    AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    QUEUE_NAME            = "jobs"
  }
}

resource "kubernetes_stateful_set" "queue" {
  metadata {
    name      = "queue"
    namespace = "queue"
  }
  spec {
    service_name = "queue"
    replicas     = 1
    selector {
      match_labels = { app = "queue" }
    }
    template {
      metadata {
        labels = { app = "queue" }
      }
      spec {
        container {
          name  = "queue"
          image = "ghcr.io/example/queue:1"
          env_from {
            config_map_ref {
              name = "queue-env"
            }
          }
        }
      }
    }
  }
}
