// Production: room for a flash sale's burst, and the business's real waiting times.
// az deployment sub create -l eastasia -f infra/main.bicep -p infra/main.prod.bicepparam
using 'main.bicep'

param environmentName = 'o2o-prod'
param location = 'eastasia'
param maximumInstanceCount = 500
param instanceMemoryMB = 2048
param unpaidTimeoutMinutes = 15
param acceptWithinMinutes = 10
param riderWaitMinutes = 10
param storeKeyGraceMinutes = 60

// Secrets and partner ids come from the environment (as with azd); nothing secret is in the repository.
param adminApiKey = readEnvironmentVariable('O2O_ADMIN_API_KEY')
param sessionSigningKey = readEnvironmentVariable('O2O_SESSION_SIGNING_KEY')
param storeKeyPepper = readEnvironmentVariable('O2O_STORE_KEY_PEPPER')
param weChatAppId = readEnvironmentVariable('O2O_WECHAT_APP_ID')
param weChatAppSecret = readEnvironmentVariable('O2O_WECHAT_APP_SECRET')
param weChatPushToken = readEnvironmentVariable('O2O_WECHAT_PUSH_TOKEN')
param weChatPushAesKey = readEnvironmentVariable('O2O_WECHAT_PUSH_AES_KEY')
param weChatPayMchId = readEnvironmentVariable('O2O_WECHATPAY_MCHID')
param weChatPayApiV3Key = readEnvironmentVariable('O2O_WECHATPAY_APIV3_KEY')
param weChatPayMerchantPrivateKeyPem = readEnvironmentVariable('O2O_WECHATPAY_MERCHANT_PRIVATE_KEY_PEM')
param weChatPayMerchantSerialNo = readEnvironmentVariable('O2O_WECHATPAY_MERCHANT_SERIAL_NO')
param weChatPayPlatformPublicKeyId = readEnvironmentVariable('O2O_WECHATPAY_PUBLIC_KEY_ID', '')
param weChatPayPlatformPublicKeyPem = readEnvironmentVariable('O2O_WECHATPAY_PUBLIC_KEY_PEM', '')
param dadaAppKey = readEnvironmentVariable('O2O_DADA_APP_KEY')
param dadaSourceId = readEnvironmentVariable('O2O_DADA_SOURCE_ID')
param dadaAppSecret = readEnvironmentVariable('O2O_DADA_APP_SECRET')
param meituanAppKey = readEnvironmentVariable('O2O_MEITUAN_APP_KEY')
param meituanSecret = readEnvironmentVariable('O2O_MEITUAN_SECRET')
param sfDevId = readEnvironmentVariable('O2O_SF_DEV_ID')
param sfDevKey = readEnvironmentVariable('O2O_SF_DEV_KEY')
param notificationsWebhookKey = readEnvironmentVariable('O2O_NOTIFICATIONS_WEBHOOK_KEY')
param notificationTemplateId = readEnvironmentVariable('O2O_NOTIFICATION_TEMPLATE_ID')
param operatorEmail = readEnvironmentVariable('O2O_OPERATOR_EMAIL')
