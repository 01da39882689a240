# The Kubernetes provider's _v1 resources, as in the provider's docs, with
# the ServiceAccount's role taken from an aws_iam_role of the same module.
resource "aws_iam_role" "app" {
  name               = "inventory-app"
  assume_role_policy = data.aws_iam_policy_document.app_trust.json
}

data "aws_iam_policy_document" "app_trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.eks.arn]
    }
  }
}

resource "kubernetes_service_account_v1" "app" {
  metadata {
    name      = "inventory"
    namespace = "inventory"
    annotations = {
      "eks.amazonaws.com/role-arn" = aws_iam_role.app.arn
    }
  }
}

resource "kubernetes_deployment_v1" "app" {
  metadata {
    name      = "inventory"
    namespace = "inventory"
    labels = {
      app = "inventory"
    }
  }
  spec {
    replicas = 2
    selector {
      match_labels = {
        app = "inventory"
      }
    }
    template {
      metadata {
        labels = {
          app = "inventory"
        }
      }
      spec {
        service_account_name = kubernetes_service_account_v1.app.metadata[0].name
        container {
          name  = "inventory"
          image = "ghcr.io/example/inventory:1.0"
          port {
            container_port = 8080
          }
          env {
            name  = "TABLE"
            value = "inventory"
          }
        }
      }
    }
  }
}
