# Both generations of the daemon set resource: kubernetes_daemonset and
# kubernetes_daemon_set_v1.
resource "kubernetes_daemonset" "node_exporter" {
  metadata {
    name      = "node-exporter"
    namespace = "monitoring"
  }
  spec {
    selector {
      match_labels = { app = "node-exporter" }
    }
    template {
      metadata {
        labels = { app = "node-exporter" }
      }
      spec {
        host_network = true
        container {
          name  = "node-exporter"
          image = "quay.io/prometheus/node-exporter:v1.7.0"
        }
      }
    }
  }
}

resource "kubernetes_daemon_set_v1" "log_shipper" {
  metadata {
    name      = "log-shipper"
    namespace = "monitoring"
  }
  spec {
    selector {
      match_labels = { app = "log-shipper" }
    }
    template {
      metadata {
        labels = { app = "log-shipper" }
      }
      spec {
        service_account_name = "log-shipper"
        container {
          name  = "shipper"
          image = "ghcr.io/example/log-shipper:2.1"
          volume_mount {
            name       = "aws"
            mount_path = "/root/.aws"
            read_only  = true
          }
        }
        volume {
          name = "aws"
          secret {
            secret_name = "log-shipper-aws"
          }
        }
      }
    }
  }
}
