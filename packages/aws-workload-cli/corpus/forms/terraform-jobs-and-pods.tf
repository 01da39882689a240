resource "kubernetes_cron_job_v1" "cleanup" {
  metadata {
    name      = "cleanup"
    namespace = "ops"
  }
  spec {
    schedule = "15 * * * *"
    job_template {
      metadata {}
      spec {
        template {
          metadata {}
          spec {
            restart_policy = "OnFailure"
            container {
              name  = "cleanup"
              image = "amazon/aws-cli:2.15.0"
              env {
                name  = "AWS_ACCESS_KEY_ID"
                value = "AKIAIOSFODNN7EXAMPLE"
              }
              env {
                name  = "AWS_SECRET_ACCESS_KEY"
                value = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
              }
            }
          }
        }
      }
    }
  }
}

resource "kubernetes_job_v1" "seed" {
  metadata {
    name      = "seed"
    namespace = "ops"
  }
  spec {
    template {
      metadata {}
      spec {
        restart_policy = "Never"
        container {
          name  = "seed"
          image = "ghcr.io/example/seed:1"
        }
      }
    }
  }
}

resource "kubernetes_pod_v1" "toolbox" {
  metadata {
    name      = "toolbox"
    namespace = "ops"
  }
  spec {
    service_account_name = "toolbox"
    container {
      name  = "toolbox"
      image = "ghcr.io/example/toolbox:1"
    }
  }
}

resource "kubernetes_service_account" "toolbox" {
  metadata {
    name      = "toolbox"
    namespace = "ops"
    annotations = {
      "eks.amazonaws.com/role-arn" = "arn:aws:iam::123456789012:role/ops-toolbox"
    }
  }
}
