# A trust policy written with jsonencode, missing sts:TagSession.
resource "aws_iam_role" "worker" {
  name = "queue-worker"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Principal = {
          Service = "pods.eks.amazonaws.com"
        }
        Action = "sts:AssumeRole"
      },
    ]
  })
}

resource "aws_eks_pod_identity_association" "worker" {
  cluster_name    = var.cluster_name
  namespace       = "queue"
  service_account = "worker"
  role_arn        = aws_iam_role.worker.arn
}

resource "kubernetes_service_account_v1" "worker" {
  metadata {
    name      = "worker"
    namespace = "queue"
  }
}

resource "kubernetes_deployment_v1" "worker" {
  metadata {
    name      = "worker"
    namespace = "queue"
  }
  spec {
    selector {
      match_labels = { app = "worker" }
    }
    template {
      metadata {
        labels = { app = "worker" }
      }
      spec {
        service_account_name = "worker"
        container {
          name  = "worker"
          image = "ghcr.io/example/worker:1"
        }
      }
    }
  }
}
